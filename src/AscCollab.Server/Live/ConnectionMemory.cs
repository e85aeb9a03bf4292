using System.Buffers;
using Microsoft.AspNetCore.Connections;

namespace AscCollab.Server;

/// <summary>
/// Kestrel's connection buffers come from the shared array pool instead of its own pinned-block
/// pool. The pinned pool keeps every 4 KiB block it ever handed out (it evicts about 1 % every
/// 10 s) on the never-compacted pinned heap: one presence push to 3,000 watchers left ~6,000
/// blocks (24 MiB, 8 KiB per idle connection) pooled for good (docs/performance.md, item 6). The
/// shared pool keeps a few arrays per core and lets the GC take the rest back. Sockets on Linux
/// pin a buffer only for the duration of each send or receive call, so nothing needs pinned
/// memory, and Kestrel's idle reads allocate nothing (it waits for data with a zero-byte read).
/// </summary>
internal sealed class SharedArrayMemoryPoolFactory : IMemoryPoolFactory<byte>
{
    public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => MemoryPool<byte>.Shared;
}
