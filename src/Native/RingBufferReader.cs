using System.Runtime.InteropServices;

namespace Kecleon.Interop;

/// <summary>
/// Reads a <c>BPF_MAP_TYPE_RINGBUF</c> on a thread of its own (libbpf 1.1's <c>ring_buffer__new</c> and
/// <c>ring_buffer__consume</c>): the thread blocks in <c>epoll_wait</c> with no timeout on the ring's epoll fd and an
/// eventfd that <see cref="Dispose"/> signals, so an idle reader costs nothing. Each record is handed to the callback on
/// that thread, as a span valid during the call only.
/// </summary>
internal sealed unsafe partial class RingBufferReader : IDisposable
{
    private const int EpollCtlAdd = 1;
    private const uint EpollIn = 0x1;
    private const int EfdCloexec = 0x80000;
    private const int EpollCloexec = 0x80000;
    private const int EIntr = 4;
    private const ulong StopToken = 1, RingToken = 2;

    /// <summary>struct epoll_event: packed on x86-64 (a u32, then a u64 at offset 4).</summary>
    [StructLayout(LayoutKind.Explicit, Size = 12)]
    private struct EpollEvent
    {
        [FieldOffset(0)] public uint Events;
        [FieldOffset(4)] public ulong Data;
    }

    [LibraryImport(NativeLibraries.Bpf, SetLastError = true)]
    private static partial nint ring_buffer__new(int mapFd, delegate* unmanaged<void*, void*, nuint, int> sample, void* context, void* options);

    [LibraryImport(NativeLibraries.Bpf)]
    private static partial int ring_buffer__epoll_fd(nint ring);

    [LibraryImport(NativeLibraries.Bpf)]
    private static partial int ring_buffer__consume(nint ring);

    [LibraryImport(NativeLibraries.Bpf)]
    private static partial void ring_buffer__free(nint ring);

    [LibraryImport(NativeLibraries.C, SetLastError = true)]
    private static partial int epoll_create1(int flags);

    [LibraryImport(NativeLibraries.C, SetLastError = true)]
    private static partial int epoll_ctl(int epoll, int op, int fd, EpollEvent* ev);

    [LibraryImport(NativeLibraries.C, SetLastError = true)]
    private static partial int epoll_wait(int epoll, EpollEvent* events, int max, int timeout);

    [LibraryImport(NativeLibraries.C, SetLastError = true)]
    private static partial int eventfd(uint initial, int flags);

    [LibraryImport(NativeLibraries.C, SetLastError = true)]
    private static partial nint write(int fd, void* buffer, nuint count);

    private readonly Action<ReadOnlySpan<byte>> _onRecord;
    private readonly GCHandle _self;
    private readonly nint _ring;
    private readonly int _epoll, _stop;
    private readonly Thread _thread;
    private int _disposed;

    /// <exception cref="IOException">libbpf or the kernel refused the ring: the call in the message, errno in
    /// <see cref="Exception.HResult"/>.</exception>
    public RingBufferReader(int mapFd, Action<ReadOnlySpan<byte>> onRecord, string threadName)
    {
        _onRecord = onRecord;
        _self = GCHandle.Alloc(this);
        _epoll = _stop = -1;
        try
        {
            _ring = ring_buffer__new(mapFd, &OnSample, (void*)GCHandle.ToIntPtr(_self), null);
            if (_ring == 0)
                throw Failed("ring_buffer__new");
            _epoll = epoll_create1(EpollCloexec);
            _stop = eventfd(0, EfdCloexec);
            if (_epoll < 0 || _stop < 0)
                throw Failed("epoll_create1/eventfd");
            var stop = new EpollEvent { Events = EpollIn, Data = StopToken };
            var ring = new EpollEvent { Events = EpollIn, Data = RingToken };
            if (epoll_ctl(_epoll, EpollCtlAdd, _stop, &stop) < 0 || epoll_ctl(_epoll, EpollCtlAdd, ring_buffer__epoll_fd(_ring), &ring) < 0)
                throw Failed("epoll_ctl");
        }
        catch
        {
            Free();
            throw;
        }
        _thread = new Thread(Run) { IsBackground = true, Name = threadName };
        _thread.Start();
    }

    /// <summary>The call that failed, with its errno in <see cref="Exception.HResult"/>.</summary>
    private static IOException Failed(string call) => new(call, Marshal.GetLastPInvokeError());

    private void Run()
    {
        // Records already in the ring (written before this reader started) first.
        ring_buffer__consume(_ring);
        var events = stackalloc EpollEvent[2];
        while (true)
        {
            var n = epoll_wait(_epoll, events, 2, -1);
            if (n < 0)
            {
                if (Marshal.GetLastPInvokeError() == EIntr)
                    continue;
                return;
            }
            for (var i = 0; i < n; i++)
                if (events[i].Data == StopToken)
                    return;
            ring_buffer__consume(_ring);
        }
    }

    [UnmanagedCallersOnly]
    private static int OnSample(void* context, void* data, nuint size)
    {
        try
        {
            var reader = (RingBufferReader)GCHandle.FromIntPtr((nint)context).Target!;
            reader._onRecord(new ReadOnlySpan<byte>(data, (int)size));
        }
#pragma warning disable CA1031 // an exception must not unwind into libbpf: the record is dropped
        catch (Exception)
#pragma warning restore CA1031
        {
        }
        return 0;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        ulong one = 1;
        write(_stop, &one, sizeof(ulong));
        _thread.Join();
        Free();
    }

    private void Free()
    {
        if (_ring != 0)
            ring_buffer__free(_ring);
        if (_epoll >= 0)
            LibbpfApi.close(_epoll);
        if (_stop >= 0)
            LibbpfApi.close(_stop);
        if (_self.IsAllocated)
            _self.Free();
    }
}
