"""Rate limits on sign-ups, counted in the shared cache (Redis in production) so that every app
server sees the same counts.

The client's address is REMOTE_ADDR. Behind a reverse proxy or load balancer that is the proxy's
address, and every reader would share one limit: there, have the WSGI server set REMOTE_ADDR
from the proxy's header for trusted proxies only (gunicorn's --forwarded-allow-ips, or a
middleware that reads X-Forwarded-For as written by your own proxy). Never trust the header as
the client sends it: anyone could pick a new address for each request.
"""

import hashlib

from core.rate_limits import too_many

# (attempts, seconds): a fixed window that starts with the first attempt.
PER_NETWORK = (5, 10 * 60)
PER_ADDRESS = (3, 60 * 60)

TOO_MANY_FROM_NETWORK = "Too many sign-ups from your network; please try again in a few minutes."
TOO_MANY_FOR_ADDRESS = "Too many sign-ups for this email address; please try again in an hour."


def sign_up_refusal(request, email):
    """The message that refuses this sign-up, or None when it is within the limits. Counts the
    attempt, so call it once per valid sign-up."""
    network = request.META.get("REMOTE_ADDR", "")
    if too_many(f"subscribe:network:{network}", *PER_NETWORK, "Sign-up rate limit"):
        return TOO_MANY_FROM_NETWORK
    # Hashed: the cache holds no addresses, and keys stay short and plain ASCII.
    address = hashlib.sha256(email.lower().encode()).hexdigest()
    if too_many(f"subscribe:address:{address}", *PER_ADDRESS, "Sign-up rate limit"):
        return TOO_MANY_FOR_ADDRESS
    return None
