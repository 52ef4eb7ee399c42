// SPDX-License-Identifier: Apache-2.0
// Replaces every form of the global operator new and delete (failing_allocator.hpp).
#include "bad_input/failing_allocator.hpp"

#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <new>

namespace {

std::atomic<long> countdown{0};
std::atomic<long> failures{0};
thread_local int exempt = 0;

bool should_fail() noexcept
{
    if (exempt > 0 || countdown.load(std::memory_order_relaxed) <= 0)
        return false;
    if (countdown.fetch_sub(1) == 1) {
        ++failures;
        return true;
    }
    return false;
}

void *allocate(std::size_t size, std::size_t alignment) noexcept
{
    if (should_fail())
        return nullptr;
    if (size == 0)
        size = 1;
    if (alignment <= alignof(std::max_align_t))
        return std::malloc(size);
    return std::aligned_alloc(alignment, (size + alignment - 1) / alignment * alignment);
}

void *allocate_or_throw(std::size_t size, std::size_t alignment)
{
    void *p = allocate(size, alignment);
    if (p == nullptr)
        throw std::bad_alloc();
    return p;
}

} // namespace

namespace jc_test {
void fail_allocation(long n) { countdown = n; }
long failed_allocations() { return failures; }
AllocationsSucceed::AllocationsSucceed() { ++exempt; }
AllocationsSucceed::~AllocationsSucceed() { --exempt; }
} // namespace jc_test

constexpr std::size_t plain = alignof(std::max_align_t);
void *operator new(std::size_t size) { return allocate_or_throw(size, plain); }
void *operator new[](std::size_t size) { return allocate_or_throw(size, plain); }
void *operator new(std::size_t size, const std::nothrow_t &) noexcept { return allocate(size, plain); }
void *operator new[](std::size_t size, const std::nothrow_t &) noexcept { return allocate(size, plain); }
void *operator new(std::size_t size, std::align_val_t a) { return allocate_or_throw(size, static_cast<std::size_t>(a)); }
void *operator new[](std::size_t size, std::align_val_t a) { return allocate_or_throw(size, static_cast<std::size_t>(a)); }
void *operator new(std::size_t size, std::align_val_t a, const std::nothrow_t &) noexcept
{
    return allocate(size, static_cast<std::size_t>(a));
}
void *operator new[](std::size_t size, std::align_val_t a, const std::nothrow_t &) noexcept
{
    return allocate(size, static_cast<std::size_t>(a));
}
void operator delete(void *p) noexcept { std::free(p); }
void operator delete[](void *p) noexcept { std::free(p); }
void operator delete(void *p, std::size_t) noexcept { std::free(p); }
void operator delete[](void *p, std::size_t) noexcept { std::free(p); }
void operator delete(void *p, const std::nothrow_t &) noexcept { std::free(p); }
void operator delete[](void *p, const std::nothrow_t &) noexcept { std::free(p); }
void operator delete(void *p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void *p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void *p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void *p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete(void *p, std::align_val_t, const std::nothrow_t &) noexcept { std::free(p); }
void operator delete[](void *p, std::align_val_t, const std::nothrow_t &) noexcept { std::free(p); }
