"""Rate limits on sign-ups, counted in the shared cache (Redis in production) so that every app
server sees the same counts.

The client's address is REMOTE_ADDR, or behind NUM_PROXIES proxies the one our outermost proxy
wrote in X-Forwarded-For (core.rate_limits.client_address). Behind proxies with NUM_PROXIES
unset, every reader would share one limit; never read the header further than our own proxies
wrote it: anyone could pick a new address for each request.
"""

import hashlib

from core.rate_limits import client_address, too_many

# (attempts, seconds): a fixed window that starts with the first attempt.
PER_NETWORK = (5, 10 * 60)
PER_ADDRESS = (3, 60 * 60)

TOO_MANY_FROM_NETWORK = "Too many sign-ups from your network; please try again in a few minutes."
TOO_MANY_FOR_ADDRESS = "Too many sign-ups for this email address; please try again in an hour."


def sign_up_refusal(request, email):
    """The message that refuses this sign-up, or None when it is within the limits. Counts the
    attempt, so call it once per valid sign-up."""
    network = client_address(request)
    if too_many(f"subscribe:network:{network}", *PER_NETWORK, "Sign-up rate limit"):
        return TOO_MANY_FROM_NETWORK
    # Hashed: the cache holds no addresses, and keys stay short and plain ASCII.
    address = hashlib.sha256(email.lower().encode()).hexdigest()
    if too_many(f"subscribe:address:{address}", *PER_ADDRESS, "Sign-up rate limit"):
        return TOO_MANY_FOR_ADDRESS
    return None
