using Kecleon.Interop;

namespace Kecleon.Bpf;

/// <summary>
/// A reader of a <c>BPF_MAP_TYPE_RINGBUF</c> map: a thread of its own blocks in <c>epoll_wait</c> (no timeout) until the
/// kernel wakes it, and hands each record to <c>onRecord</c> on that thread (the span is valid during the call only;
/// an exception from the callback drops that record). <see cref="Dispose"/> stops the thread and frees the reader; the
/// map stays.
/// </summary>
public sealed class BpfRingBuffer : IDisposable
{
    private readonly RingBufferReader _reader;

    /// <exception cref="BpfException">The kernel or libbpf refused to read the map as a ring buffer.</exception>
    public BpfRingBuffer(BpfMapAccess map, Action<ReadOnlySpan<byte>> onRecord, string threadName = "kecleon-ringbuf")
    {
        if (map.Type != BpfMapType.RingBuf)
            throw new ArgumentException($"map {map.Name} is a {map.Type}, not a ring buffer", nameof(map));
        try
        {
            _reader = new RingBufferReader(map.Fd, onRecord, threadName);
        }
        catch (IOException e)
        {
            throw new BpfException($"read ring buffer {map.Name} ({e.Message})", e.HResult);
        }
    }

    public void Dispose() => _reader.Dispose();
}
