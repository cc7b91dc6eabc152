"""Sphinx configuration of skgd's documentation.

Build it with ``python -m sphinx -W -b html docs docs/_build/html`` after
``python -m pip install -e ".[docs]"``. The gallery's scripts in
``docs/examples`` run during the build, so its figures come from real runs.
"""

import skgd

project = "skgd"
author = "skgd developers"
copyright = "skgd developers"
version = release = skgd.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.autosectionlabel",
    "sphinx.ext.mathjax",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]

templates_path = ["_templates"]
# Sections are linked as :ref:`page:Section title`.
autosectionlabel_prefix_document = True
exclude_patterns = ["_build", "examples"]

# The API reference: one page per public name, generated from its docstring.
autosummary_generate = True
autodoc_default_options = {"members": True}
autodoc_typehints = "none"
# JaxModel and TorchModel are documented without their optional packages.
autodoc_mock_imports = ["jax", "torch"]

# numpydoc renders the docstrings' sections; the API pages list the members
# themselves (see _templates/autosummary/class.rst).
numpydoc_show_class_members = False
numpydoc_xref_param_type = False

sphinx_gallery_conf = {
    "examples_dirs": "examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "doc_module": ("skgd",),
    "backreferences_dir": "generated/backreferences",
    "download_all_examples": False,
    "remove_config_comments": True,
    "matplotlib_animations": False,
}

html_theme = "pydata_sphinx_theme"
html_title = f"skgd {release}"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
}
html_show_sourcelink = False


def skip_scikit_learn_members(app, what, name, obj, skip, options):
    """Leave out the methods every scikit-learn estimator inherits
    (``get_params``, ``score``, ``set_fit_request``...): their docstrings
    point into scikit-learn's own documentation."""
    if getattr(obj, "__module__", None) and obj.__module__.startswith("sklearn."):
        return True
    return None


def setup(app):
    app.connect("autodoc-skip-member", skip_scikit_learn_members)
