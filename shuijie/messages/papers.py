"""Messages of the papers area (see shuijie.messages)."""

from . import define

define({
})
