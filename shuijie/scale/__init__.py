"""Provincial / national scale helpers that run the draw's object selection outside Python.

Optional: the modules here need the ``scale`` extra (``pip install 'shuijie[scale]'``, which
brings DuckDB).  Import :mod:`shuijie.scale.duckdb_select` only when that extra is installed;
nothing else in shuijie imports this package.
"""
