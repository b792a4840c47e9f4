"""Messages of the draw area (see shuijie.messages)."""

from . import define

define({
})
