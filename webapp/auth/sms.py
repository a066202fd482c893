"""SMS backends, chosen by SMS_BACKEND: `console`, `file` or `http`.

Like Django's e-mail backends: `console` for development, `file` so a developer or an
outside test can read what was sent, `http` for a real provider. Each has `send(to, text)`,
which returns on success and raises SmsTransient (worth retrying) or SmsRejected (not).
"""

import fcntl
import json
import logging
import os
import urllib.error
import urllib.request

from webapp.auth.errors import SmsRejected, SmsTransient
from webapp.auth.masking import mask_phone
from webapp.clock import utcnow

log = logging.getLogger(__name__)


class ConsoleBackend:
    """Logs each message. Outside production the text (code included) is logged at INFO, for
    developers; in production only at DEBUG, so the usual INFO logs never hold a code."""

    def __init__(self, config):
        self.show_text_at = logging.DEBUG if config["ENV_NAME"] == "production" else logging.INFO

    def send(self, to, text):
        log.info("SMS to %s (%d characters)", mask_phone(to), len(text))
        log.log(self.show_text_at, "SMS to %s: %s", to, text)


class FileBackend:
    """Appends one JSON line {"to", "text", "sent_at"} per message to SMS_OUTBOX_PATH.

    One write() of the whole line under an exclusive flock, on a file opened for appending:
    lines from concurrent workers never interleave."""

    def __init__(self, config):
        self.path = config["SMS_OUTBOX_PATH"]

    def send(self, to, text):
        line = json.dumps({"to": to, "text": text, "sent_at": utcnow().isoformat()}) + "\n"
        try:
            os.makedirs(os.path.dirname(self.path) or ".", exist_ok=True)
            with open(self.path, "a", encoding="utf-8") as outbox:
                fcntl.flock(outbox, fcntl.LOCK_EX)
                try:
                    outbox.write(line)
                    outbox.flush()
                finally:
                    fcntl.flock(outbox, fcntl.LOCK_UN)
        except OSError as error:
            raise SmsTransient(f"Could not write the SMS outbox ({error.strerror}).") from None


class HttpBackend:
    """POSTs {"to", "text", "sender"} as JSON to SMS_HTTP_URL with the key in X-API-Key.

    2xx is success; 5xx, 429 and network errors are transient; any other status is a refusal."""

    def __init__(self, config):
        self.url = config["SMS_HTTP_URL"]
        self.api_key = config["SMS_HTTP_API_KEY"]
        self.timeout = config["SMS_HTTP_TIMEOUT"]
        self.sender = config["SITE_NAME"]
        if not self.url.startswith(("http://", "https://")):
            raise SmsRejected("SMS_HTTP_URL is not set to an http(s) URL.")
        if config["ENV_NAME"] == "production" and not self.url.startswith("https://"):
            # The message carries a live code and the API key: never in clear text (ASVS 2.7.4).
            raise SmsRejected("SMS_HTTP_URL must be an https:// URL in production.")

    def send(self, to, text):
        body = json.dumps({"to": to, "text": text, "sender": self.sender}).encode()
        request = urllib.request.Request(
            self.url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", "X-API-Key": self.api_key},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 (http(s) only)
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
            error.close()
        except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
            reason = getattr(error, "reason", error)
            raise SmsTransient(f"The SMS provider could not be reached ({reason}).") from None
        if 200 <= status < 300:
            return
        if status == 429 or status >= 500:
            raise SmsTransient(f"The SMS provider is failing (HTTP {status}).")
        raise SmsRejected(f"The SMS provider refused the message (HTTP {status}).")


BACKENDS = {"console": ConsoleBackend, "file": FileBackend, "http": HttpBackend}


def backend_from_config(config):
    try:
        backend_class = BACKENDS[config["SMS_BACKEND"]]
    except KeyError:
        raise SmsRejected(
            f"SMS_BACKEND must be one of {', '.join(sorted(BACKENDS))}, not {config['SMS_BACKEND']!r}."
        ) from None
    return backend_class(config)
