// SPDX-License-Identifier: Apache-2.0
// The byte format the C ABI fuzz target reads: batches of events with any type, any struct_size, any strings
// and any numbers, built inside an arena that is exactly as large as the host claims (so that AddressSanitizer
// sees a plugin that reads past what it was given). The seed writer encodes real events into the same format.
//
//   input  := batch*
//   batch  := flags:u8 [null_at:u8 if flags & 0x40] [as_of:i32 if flags & 0x10] event{flags & 0x0F}
//             flags 0x10: evaluate as of `as_of` after the batch; 0x20: pass result = NULL;
//             0x40: the pointer at index null_at % (count + 1) is NULL; 0x80: events = NULL (count unchanged)
//   event  := type:u8 size:u8 [claimed:u32 if size == 4] [extra:u8 if size == 3] member*
//             size 0: sizeof the type's struct; 1: sizeof(jc_event_header); 2: the struct less 4 bytes;
//             3: the struct plus `extra` bytes (a newer host); 4: `claimed`, any value at all
//   member := in struct order from offset 8: a jc_str is string; anything else is 4 raw bytes (little-endian)
//   string := n:u8 bytes{n}      for n < 0xFD
//           | 0xFD len:u16 bytes{len}   (long strings: oversize ids and justifications)
//           | 0xFE len:u8               (data NULL with size len)
//           | 0xFF                      (data NULL, size 0: absent)
// Input that runs out reads as zero bytes. Every string gets its own exact-size allocation.
#pragma once

#include <jobcoach/jobcoach.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace jobcoach::fuzz {

// One event as built for the plugin: the struct in an arena of exactly its claimed size (or of the largest
// struct this host knows, when the claim is beyond 64 KiB), and its strings.
struct BuiltEvent {
    std::unique_ptr<unsigned char[]> arena;
    size_t arena_size = 0;
    std::vector<std::unique_ptr<char[]>> strings;
    const jc_event_header *header() const { return reinterpret_cast<const jc_event_header *>(arena.get()); }
};

struct Batch {
    std::vector<BuiltEvent> events;
    std::vector<const jc_event_header *> pointers; // what handle_events gets; may hold a NULL
    bool null_events = false;                      // pass events = NULL
    bool null_result = false;                      // pass result = NULL
    bool evaluate = false;
    jc_date as_of = 0;
};

// Decodes the whole input into batches (at most `max_batches`).
std::vector<Batch> decode(std::span<const uint8_t> input, size_t max_batches = 64);

// Encodes one batch of well-formed events (every struct_size exact), for seeds. `as_of` < 0: no evaluation.
std::string encode_batch(std::span<const jc_event_header *const> events, int64_t as_of = -1);

// The offsets of the jc_str members of an event type's struct, header included.
std::vector<size_t> string_offsets(uint32_t type);

} // namespace jobcoach::fuzz
