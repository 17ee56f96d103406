"""Text-message gateways, chosen by `SMS_BACKEND`.

- `HttpGateway`: a JSON POST to the department's SMS platform (`SMS_GATEWAY`
  settings: URL, TOKEN, SECRET, SIGN_NAME, TIMEOUT, TEMPLATES), the shape
  Chinese SMS platforms take: a template id and its parameters, a sign name,
  a bearer token and an HMAC-SHA256 signature of timestamp and body.
- `FileBackend`: development; appends each message to `SMS_LOG_FILE`
  (default `var/sms.log`).
- `MemoryBackend`: tests; messages in `outbox`.
"""

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string


class SMSError(Exception):
    """The gateway refused or did not answer; the message is the reason."""


@dataclass(frozen=True)
class TextMessage:
    mobile: str
    text: str
    template: str
    params: dict
    #: Stable per delivery, so a gateway that deduplicates can drop a repeat.
    key: str


def backend():
    return import_string(settings.SMS_BACKEND)()


class FileBackend:
    def send(self, message: TextMessage) -> str:
        path = Path(getattr(settings, "SMS_LOG_FILE", "var/sms.log"))
        path.parent.mkdir(parents=True, exist_ok=True)
        stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M:%S")
        with path.open("a", encoding="utf-8") as log:
            log.write(f"{stamp} to {message.mobile} [{message.key}]: {message.text}\n")
        return "written to " + str(path)


class MemoryBackend:
    outbox: list[TextMessage] = []

    def send(self, message: TextMessage) -> str:
        MemoryBackend.outbox.append(message)
        return "ok"


class HttpGateway:
    def __init__(self):
        self.config = dict(getattr(settings, "SMS_GATEWAY", {}))
        if not self.config.get("URL"):
            raise SMSError("SMS_GATEWAY['URL'] is not set.")

    def send(self, message: TextMessage) -> str:
        templates = self.config.get("TEMPLATES") or {}
        payload = {
            "mobile": message.mobile,
            "sign_name": self.config.get("SIGN_NAME", ""),
            "template_id": templates.get(message.template, message.template),
            "params": message.params,
            "content": message.text,
            "out_id": message.key,
        }
        body = json.dumps(payload, ensure_ascii=False).encode()
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "X-Timestamp": timestamp,
            "Idempotency-Key": message.key,
        }
        if self.config.get("TOKEN"):
            headers["Authorization"] = f"Bearer {self.config['TOKEN']}"
        if self.config.get("SECRET"):
            signed = timestamp.encode() + b"." + body
            headers["X-Signature"] = hmac.new(
                self.config["SECRET"].encode(), signed, hashlib.sha256
            ).hexdigest()
        request = urllib.request.Request(
            self.config["URL"], data=body, headers=headers, method="POST"
        )
        timeout = float(self.config.get("TIMEOUT", 10))
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                answer = response.read(2000).decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            detail = error.read(500).decode("utf-8", "replace")
            raise SMSError(f"HTTP {error.code}: {detail}") from error
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise SMSError(f"{type(error).__name__}: {error}") from error
        try:
            code = json.loads(answer).get("code", 0)
        except (ValueError, AttributeError):
            code = 0
        if str(code) not in {"0", "OK", "ok", "200"}:
            raise SMSError(f"refused: {answer}")
        return answer
