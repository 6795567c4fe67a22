//! Status boards: per channel the one message kept current in place.

use super::{corrupt, encode, keys, read_all, Store, StoreError};

/// A status board: the channel's one message kept current in place.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Board {
    /// The message to edit; `None` until it is posted (or after it was deleted).
    pub message_id: Option<u64>,
}

impl Store {
    pub fn boards(&self) -> Result<Vec<(u64, Board)>, StoreError> {
        read_all(&self.boards, "channel", keys::board_channel)
    }

    /// Sets (or with `None` removes) the board of `channel`, flushed.
    pub fn put_board(&self, channel: u64, board: Option<&Board>) -> Result<(), StoreError> {
        let _writer = self.lock();
        self.faults.check()?;
        let key = keys::board(channel);
        match board {
            Some(b) => {
                self.boards.insert(key, encode(b)?)?;
            }
            None => {
                self.boards.remove(key)?;
            }
        }
        self.db.flush()?;
        self.bump();
        Ok(())
    }

    /// Remembers the message a board was posted as; `false` (and nothing written) when the
    /// board was removed meanwhile.
    pub fn set_board_message(&self, channel: u64, message_id: u64) -> Result<bool, StoreError> {
        let _writer = self.lock();
        self.faults.check()?;
        let key = keys::board(channel);
        if !self.boards.contains_key(&key)? {
            return Ok(false);
        }
        let board = Board {
            message_id: Some(message_id),
        };
        self.boards.insert(key, encode(&board)?)?;
        self.db.flush()?;
        Ok(true)
    }

    /// Forgets the message of `channel`'s board if it is one of `deleted` (Discord deleted it),
    /// so the board is posted anew; `true` if it was.
    pub fn forget_board_message(&self, channel: u64, deleted: &[u64]) -> Result<bool, StoreError> {
        let _writer = self.lock();
        self.faults.check()?;
        let key = keys::board(channel);
        let Some(raw) = self.boards.get(&key)? else {
            return Ok(false);
        };
        let board: Board = serde_json::from_slice(&raw).map_err(|e| corrupt(&key, e))?;
        if !board.message_id.is_some_and(|m| deleted.contains(&m)) {
            return Ok(false);
        }
        self.boards
            .insert(key, encode(&Board { message_id: None })?)?;
        self.db.flush()?;
        Ok(true)
    }
}
