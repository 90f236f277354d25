-- Views and reminders look up dates moved into a range, however far they came from.
CREATE INDEX calendar_exceptions_moved_to ON calendar_exceptions(new_date) WHERE action = 'move';
