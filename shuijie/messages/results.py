"""Messages of the results area (see shuijie.messages)."""

from . import define

define({
})
