//! UN General Assembly voting alignment (to be written).
