"""The people we hold data on, and their data protection rights: a copy of everything we hold
on a media contact or a subscriber (`export`), its erasure (`erasure`), and how long delivery
and event logs are kept (`retention`). Where an address can be written is listed once, in
`places.PLACES`: erasure, export and the tests that dump the database after an erasure all
read it."""
