"""Helpers of :mod:`shuijie.registries`: safe YAML, Excel (calamine) and CSV readers."""
