//! Facts about the terminal: its width, and whether colour is wanted.

/// The width of the terminal on stdout, when stdout is one (`COLUMNS` overrides).
pub fn width() -> Option<usize> {
    if let Some(cols) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|c| *c > 0)
    {
        return Some(cols);
    }
    os_width()
}

#[cfg(unix)]
fn os_width() -> Option<usize> {
    rustix::termios::tcgetwinsize(std::io::stdout())
        .ok()
        .map(|w| usize::from(w.ws_col))
        .filter(|w| *w > 0)
}

#[cfg(not(unix))]
fn os_width() -> Option<usize> {
    None
}

/// False when the user asked for no colour (`NO_COLOR` set, or `TERM=dumb`).
pub fn color_allowed() -> bool {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let dumb = std::env::var("TERM").is_ok_and(|t| t == "dumb");
    !no_color && !dumb
}
