"""Validate X12 files with pyx12 (the 5010 maps it ships) and print one JSON object per file on stdout.

Used by test/integration/x837.pyx12.test.ts. For each file: `valid` (pyx12's verdict), `errors` (every ERROR that
pyx12 logged: map/syntax/count violations), and `ack` (IK5/AK9 status codes of the 999 pyx12 generates: A accepted,
E accepted with errors, R rejected). Run with the venv made by scripts/provision-validators.sh.
"""
import io
import json
import logging
import sys

import pyx12.params
import pyx12.x12n_document


class Collect(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def validate(path):
    handler = Collect()
    logger = logging.getLogger("pyx12")
    logger.addHandler(handler)
    logger.setLevel(logging.ERROR)
    logger.propagate = False
    ack = io.StringIO()
    try:
        valid = pyx12.x12n_document.x12n_document(pyx12.params.params(), path, ack, None)
    except Exception as exc:  # a file pyx12 cannot even read is a failure, reported as such
        valid = False
        handler.messages.append(f"{type(exc).__name__}: {exc}")
    finally:
        logger.removeHandler(handler)
    segments = [s.strip() for s in ack.getvalue().split("~") if s.strip()]
    codes = [s.split("*")[1] for s in segments if s.startswith(("IK5*", "AK9*")) and len(s.split("*")) > 1]
    return {"file": path, "valid": bool(valid), "errors": handler.messages, "ack": codes}


if __name__ == "__main__":
    for p in sys.argv[1:]:
        print(json.dumps(validate(p)))
