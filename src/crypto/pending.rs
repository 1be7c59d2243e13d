//! Requests handed to an asynchronous host and awaiting its answer (a verdict for
//! `verifyAsync`, a signature for `signAsync`): a queue bounded by count and by bytes, each
//! request under a fresh id. Wasm memory never shrinks, so requests whose answer never comes must
//! not grow it without bound: past either bound the oldest is forgotten (its answer is then
//! refused).

use std::collections::VecDeque;

/// What a pending request holds, in bytes (what counts towards the byte bound).
pub trait Weighed {
    fn weight(&self) -> usize;
}

/// The queue; one per kind of request, kept in a `thread_local!`.
pub struct PendingQueue<T> {
    next_id: u64,
    items: VecDeque<(u64, T)>,
    bytes: usize,
    max_items: usize,
    max_bytes: usize,
}

impl<T: Weighed> PendingQueue<T> {
    /// An empty queue keeping at most `max_items` requests and `max_bytes` of them (one request
    /// larger than that alone is still kept, until the next).
    pub const fn new(max_items: usize, max_bytes: usize) -> Self {
        PendingQueue { next_id: 1, items: VecDeque::new(), bytes: 0, max_items, max_bytes }
    }

    /// Records `item` and returns its id (never 0; ids stay far below 2^53, exact as JS numbers).
    pub fn push(&mut self, item: T) -> u64 {
        let id = self.next_id;
        self.next_id = id.wrapping_add(1);
        let mut bytes = self.bytes.saturating_add(item.weight());
        while self.items.len() >= self.max_items || (bytes > self.max_bytes && !self.items.is_empty()) {
            match self.items.pop_front() {
                Some((_, old)) => bytes = bytes.saturating_sub(old.weight()),
                None => break,
            }
        }
        self.bytes = bytes;
        self.items.push_back((id, item));
        id
    }

    /// The request recorded under `id`, left in place.
    pub fn get(&self, id: u64) -> Option<&T> {
        self.items.iter().find(|(at, _)| *at == id).map(|(_, item)| item)
    }

    /// The bytes the queue counts as held.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// The bytes of the requests actually held, counted afresh (tests: the count follows them).
    #[cfg(test)]
    pub fn recount(&self) -> usize {
        self.items.iter().map(|(_, item)| item.weight()).sum()
    }

    /// Takes (removes) the request recorded under `id`.
    pub fn take(&mut self, id: u64) -> Option<T> {
        let at = self.items.iter().position(|(at, _)| *at == id)?;
        let (_, item) = self.items.remove(at)?;
        self.bytes = self.bytes.saturating_sub(item.weight());
        Some(item)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    impl Weighed for Vec<u8> {
        fn weight(&self) -> usize {
            self.len()
        }
    }

    #[test]
    fn bounded_by_count_and_bytes_oldest_first() {
        let mut q = PendingQueue::new(3, 10);
        let a = q.push(vec![0; 4]);
        let b = q.push(vec![1; 4]);
        assert_eq!((a, b), (1, 2));
        // 12 bytes > 10: the oldest goes.
        let c = q.push(vec![2; 4]);
        assert!(q.get(a).is_none());
        assert_eq!(q.get(b), Some(&vec![1; 4]));
        // One larger than the bound alone is kept, alone.
        let d = q.push(vec![3; 20]);
        assert!(q.get(b).is_none() && q.get(c).is_none());
        assert_eq!(q.take(d), Some(vec![3; 20]));
        assert_eq!(q.take(d), None);
        assert_eq!((q.bytes(), q.recount()), (0, 0));
        // Count bound.
        let ids: Vec<u64> = (0..4).map(|_| q.push(vec![])).collect();
        assert!(q.get(ids[0]).is_none());
        assert!(ids[1..].iter().all(|id| q.get(*id).is_some()));
    }
}
