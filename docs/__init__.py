"""Makes the documentation's folder a package for pytest, so that its
``conftest.py`` imports as ``docs.conftest`` rather than as a second module
named ``conftest`` beside the one in ``tests/``."""
