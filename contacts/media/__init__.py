"""Media contacts: the journalists releases are sent to, their outlets and lists, possible
duplicates and merging them, and their data protection rights (a copy of their data, its
erasure). Never shown publicly."""
