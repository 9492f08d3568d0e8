"""Signals for apps above customers: they hold data about a contact that customers cannot see.

- `contact_exporting(contact)`: return {"section name": JSON-able data} to add to an export.
- `contact_erasing(contact)`: erase or anonymise your personal data about this contact (runs in
  the erase transaction, before the contact row is anonymised).
- `contacts_merged(source_id, target)`: after rows pointing at the source moved to the target.
"""

from django.dispatch import Signal

contact_exporting = Signal()
contact_erasing = Signal()
contacts_merged = Signal()
