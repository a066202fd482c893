"""Operations endpoints and records: /healthz, /tasks/<id> (a session's task status),
/uploads/<name> (admin-uploaded images), and the task history."""
