from api.models.keys import ApiKey
from api.models.webhooks import Announced, Attempt, Delivery, Endpoint

__all__ = ["Announced", "ApiKey", "Attempt", "Delivery", "Endpoint"]
