"""A real SMTP server for Accountable's tests (aiosmtpd): it writes every message it accepts as an .eml file
into the folder given on the command line, and refuses recipients whose address starts with "refuse" with
550, so tests can see a permanent failure.

    python3 -m aiosmtpd -n -l 127.0.0.1:PORT -c recorder.Recorder DIR     (with PYTHONPATH=tests/smtp)
"""

import os
import uuid


class Recorder:
    def __init__(self, folder):
        self.folder = folder
        os.makedirs(folder, exist_ok=True)

    @classmethod
    def from_cli(cls, parser, *args):
        if len(args) != 1:
            parser.error("the recorder needs one folder")
        return cls(args[0])

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower().startswith("refuse"):
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        name = os.path.join(self.folder, f"{uuid.uuid4().hex}.eml")
        with open(name + ".partial", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        os.rename(name + ".partial", name)
        return "250 Message accepted for delivery"
