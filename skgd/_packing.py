"""Parameters laid end to end in one flat array.

An optimizer whose rule acts on each number alone (all of skgd's do) can then
update every parameter with one numpy call per operation rather than one per
parameter and operation: for a small network, that call overhead is a large
part of a step.
"""

import numpy as np

#: The one key under which an elementwise optimizer sees the packed parameters.
PACKED = "packed"


class FlatParameters:
    """A dict of arrays whose values are views of one flat array.

    Parameters
    ----------
    params : dict of str to ndarray
        Arrays of one dtype. Their values are copied in, in the dict's order.

    Attributes
    ----------
    flat : ndarray of shape (n_values,)
        All the values, parameter after parameter.
    views : dict of str to ndarray
        Views of ``flat`` with the names and shapes of ``params``: writing to
        one writes to ``flat``.

    Examples
    --------
    >>> import numpy as np
    >>> packed = FlatParameters({"coef": np.ones((2, 2)), "intercept": np.zeros(2)})
    >>> packed.flat.tolist()
    [1.0, 1.0, 1.0, 1.0, 0.0, 0.0]
    >>> packed.views["intercept"] += 5.0
    >>> packed.flat.tolist()
    [1.0, 1.0, 1.0, 1.0, 5.0, 5.0]
    """

    def __init__(self, params):
        dtype = np.result_type(*params.values())
        self.flat = np.empty(sum(value.size for value in params.values()), dtype)
        self.views = {}
        start = 0
        for name, value in params.items():
            stop = start + value.size
            view = self.flat[start:stop].reshape(value.shape)
            view[...] = value
            self.views[name] = view
            start = stop

    @classmethod
    def of(cls, params):
        """The :class:`FlatParameters` whose views ``params`` holds, or ``None``.

        ``params`` qualifies when its values are C-contiguous views of one
        one-dimensional array that they fill, in their order, end to end, as
        the views of a :class:`FlatParameters` do.
        """
        values = list(params.values())
        flat = values[0].base if values else None
        if (
            not isinstance(flat, np.ndarray)
            or flat.ndim != 1
            or not flat.flags.c_contiguous
            or flat.size != sum(value.size for value in values)
        ):
            return None

        address = _address(flat)
        for value in values:
            if (
                value.base is not flat
                or not value.flags.c_contiguous
                or _address(value) != address
            ):
                return None
            address += value.nbytes

        packed = cls.__new__(cls)
        packed.flat, packed.views = flat, dict(params)
        return packed

    def holds(self, params):
        """Whether the values of ``params`` are these very views, in order."""
        return len(params) == len(self.views) and all(
            value is view
            for value, view in zip(params.values(), self.views.values(), strict=False)
        )

    @classmethod
    def zeros_like(cls, params):
        """A :class:`FlatParameters` shaped as ``params``, of zeros."""
        return cls({name: np.zeros_like(value) for name, value in params.items()})

    def is_shaped_like(self, params):
        """Whether ``params`` has these names, shapes and dtype, in this order."""
        return len(params) == len(self.views) and all(
            name == other_name
            and value.shape == view.shape
            and value.dtype == view.dtype
            for (name, value), (other_name, view) in zip(
                params.items(), self.views.items(), strict=False
            )
        )


def _address(array):
    """Where the first element of ``array`` lies in memory."""
    return array.__array_interface__["data"][0]
