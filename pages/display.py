"""The room's display (projector, second screen): opened with the workshop's display link.

No passcode, no menu, no control: it shows what the facilitator chooses on the laptop's
Display screen, and nothing of any other workshop.
"""

from codesign.ui import common, display

display.render(common.engine())
