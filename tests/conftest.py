import os

# scikit-learn's array API check runs only when scipy's array API support is on;
# with it, the estimators are checked with array API dispatch on numpy inputs.
os.environ.setdefault("SCIPY_ARRAY_API", "1")
