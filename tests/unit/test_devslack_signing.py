"""The v0 signature leakbot's test requests carry, checked against slack_sdk's own verifier."""

from __future__ import annotations

import hashlib
import hmac

from slack_sdk.signature import SignatureVerifier

from leakbot.devslack.signing import sign

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
TIMESTAMP = 1531420618
BODY = (
    "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
    "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect"
    "&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554"
    "%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
)


class FixedClock:
    def __init__(self, now: float) -> None:
        self._now = now

    def now(self) -> float:
        return self._now


def test_the_signature_is_v0_hmac_sha256_of_version_timestamp_and_body() -> None:
    base = f"v0:{TIMESTAMP}:{BODY}".encode()
    expected = "v0=" + hmac.new(SECRET.encode(), base, hashlib.sha256).hexdigest()

    assert sign(SECRET, TIMESTAMP, BODY) == expected
    assert sign(SECRET, str(TIMESTAMP), BODY.encode()) == expected


def test_slack_sdks_verifier_accepts_the_signature_within_five_minutes() -> None:
    verifier = SignatureVerifier(SECRET, clock=FixedClock(TIMESTAMP + 299))

    assert verifier.is_valid(BODY, str(TIMESTAMP), sign(SECRET, TIMESTAMP, BODY))


def test_slack_sdks_verifier_refuses_another_secret_an_edited_body_and_an_old_timestamp() -> None:
    verifier = SignatureVerifier(SECRET, clock=FixedClock(TIMESTAMP))
    later = SignatureVerifier(SECRET, clock=FixedClock(TIMESTAMP + 301))
    good = sign(SECRET, TIMESTAMP, BODY)

    assert not verifier.is_valid(BODY, str(TIMESTAMP), sign("another", TIMESTAMP, BODY))
    assert not verifier.is_valid(BODY + "&x=1", str(TIMESTAMP), good)
    assert not later.is_valid(BODY, str(TIMESTAMP), good)
