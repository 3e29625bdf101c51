"""Python-side helpers of osteon (see the module that imports this file)."""
__all__: list = []
