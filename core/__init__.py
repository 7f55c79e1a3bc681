"""What the apps share and none of them owns: the page cache and the values kept until content
changes, the Redis client, row ids from forms and sequences, the work done after a response is
sent, and the workers that run background tasks (their heartbeats and the recovery of a dead
one's tasks).

`press` and `contacts` import it; it imports neither of them, nor the project (`newsroom`). An
app tells it what it needs to know (which models are public content, when content next changes
by itself, what to do when a cached page is served again) from its AppConfig.ready().
"""
