"""A core module without annotations (used by tests/test_typing.py)."""


def untyped(x):
    return x
