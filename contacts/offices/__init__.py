"""Press offices and the press contacts the public sees: on every release (the
`press_contacts_block` tag) and on the /press-contacts/ page."""
