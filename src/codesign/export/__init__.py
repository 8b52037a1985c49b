"""Files for the team after the workshop: the Word report, data tables, the JSON backup, network files.

Every exporter returns bytes, so the download buttons, the CLI and the tests share one path.
The use cases (load, then build) are in ``service``; the builders in ``report_data``,
``docx``, ``tables``, ``network`` and ``images`` take data and return data or bytes.
"""

from codesign.export import service as _service
from codesign.export.pdf import PdfUnavailable
from codesign.export.service import *  # noqa: F403  (the use cases are the public face)

__all__ = ["PdfUnavailable", *_service.__all__]
