"""world_common.clock.saml_instant: SAML's xs:dateTime in UTC with milliseconds (truncated) and a
``Z``, for any aware moment, as Okta writes it (docs/fidelity/okta-saml.md#okta-saml-issueinstant)."""
import datetime as dt
import random

from world_common.clock import saml_instant


def test_utc_milliseconds_truncated_with_z_for_any_offset():
    rnd = random.Random(5)
    for _ in range(2000):
        offset = dt.timezone(dt.timedelta(minutes=rnd.randint(-900, 900)))
        moment = dt.datetime(rnd.randint(1970, 2200), rnd.randint(1, 12), rnd.randint(1, 28), rnd.randint(0, 23),
                             rnd.randint(0, 59), rnd.randint(0, 59), rnd.randint(0, 999999), tzinfo=offset)
        utc = moment.astimezone(dt.timezone.utc)
        assert saml_instant(moment) == utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"
    assert saml_instant(dt.datetime(2026, 11, 30, 17, 30, 1, 999999, tzinfo=dt.timezone.utc)) == "2026-11-30T17:30:01.999Z"
    assert saml_instant(dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)) == "2026-01-02T03:04:05.000Z"
