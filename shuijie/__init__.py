"""shuijie: run a 双随机、一公开 spot-check round end to end.

The package is a library first: ``shuijie.registries`` loads a workspace,
``shuijie.core.snapshot`` and ``shuijie.core.draw`` make the publicly verifiable draw
(DRAW-SPEC ``shuijie-draw/1``), ``shuijie.papers`` writes the documents,
``shuijie.results`` handles results and publication.  ``shuijie.cli`` is a thin
Typer layer over them.
"""

__version__ = "0.2.0"
