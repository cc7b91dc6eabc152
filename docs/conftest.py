"""pytest runs the doctests of the pages in this folder. The gallery's scripts
and Sphinx's configuration are not doctests: tests/test_docs_build.py runs
them by building the documentation. Pages and scripts that a build in this
folder generates are left out too."""

collect_ignore = ["conf.py"]
collect_ignore_glob = [
    "examples/*.py",
    "auto_examples/*",
    "generated/*",
    "sg_execution_times.rst",
    "_build/*",
]
