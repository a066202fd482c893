"""How a stored phone number is shown on pages and in logs."""


def mask_phone(phone):
    """+8613812345678 -> 138****5678: enough for a person to recognise their own number."""
    digits = phone.lstrip("+")
    local = digits[-11:] if len(digits) >= 11 else digits
    return f"{local[:3]}****{local[-4:]}" if len(local) >= 7 else "****"
