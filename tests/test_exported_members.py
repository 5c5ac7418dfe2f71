import kg


def test_all_lists_exactly_the_public_names():
    exported = set(kg.__all__)
    public = {name for name in dir(kg) if not name.startswith("_")}
    modules = {name for name in public if type(getattr(kg, name)).__name__ == "module"}
    assert exported == public - modules


def test_every_exported_name_exists():
    for name in kg.__all__:
        assert hasattr(kg, name), name


def test_every_public_function_and_class_shows_an_example():
    import inspect

    bare = [
        name
        for name in kg.__all__
        if (inspect.isfunction(getattr(kg, name)) or inspect.isclass(getattr(kg, name)))
        and ">>>" not in (getattr(kg, name).__doc__ or "")
    ]
    assert bare == []  # each one's docstring has a doctested example (pytest runs them)
