"""Messages of the registry area (see shuijie.messages)."""

from . import define

define({
})
