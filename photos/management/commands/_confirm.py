from django.core.management.base import CommandError


def confirm(question: str, *, noinput: bool) -> None:
    """Ask y/n on the terminal unless --noinput; raise CommandError on no."""
    if noinput:
        return
    try:
        answer = input(f"{question} [y/N] ")
    except EOFError:
        answer = ""
    if answer.strip().lower() not in {"y", "yes"}:
        raise CommandError(
            "Cancelled; nothing was deleted. Pass --noinput to skip this question."
        )
