"""The read API partners use (/api/v1/: live releases, topics, people, organizations, press
offices; each release also as IPTC ninjs), its keys, and the signed webhooks that tell partners
when a release is published, updated, corrected or unpublished."""
