using System.Runtime.InteropServices;
using System.Text;

namespace Kecleon.Interop;

// Span, string and ref forms of the imports that take pointers: the object model in Kecleon.Bpf calls these and never
// holds a pointer itself. Each pins or copies for the length of one call and fills in the option structs' sizes. Calls
// that set errno (attach, open) read it with Marshal.GetLastPInvokeError right after.
internal static unsafe partial class LibbpfApi
{
    private static byte[] Utf8Z(string text) => Encoding.UTF8.GetBytes(text + "\0");

    // Objects and programs

    /// <summary>Opens an object from an image in native memory (see <see cref="NativeBuffer"/>): libbpf reads it in place
    /// until the object is loaded.</summary>
    public static nint bpf_object__open_mem(nint image, int length, string objectName)
    {
        fixed (byte* name = Utf8Z(objectName))
        {
            var options = new ObjectOpenOptions { Size = (nuint)sizeof(ObjectOpenOptions), ObjectName = name };
            return bpf_object__open_mem((void*)image, (nuint)length, &options);
        }
    }

    /// <summary>Points the program's verifier log at <paramref name="buffer"/> (native memory; 0 to stop).</summary>
    public static int bpf_program__set_log_buf(nint program, nint buffer, int size) =>
        bpf_program__set_log_buf(program, (byte*)buffer, (nuint)size);

    public static nint bpf_program__attach_tracepoint(nint program, string category, string name)
    {
        fixed (byte* c = Utf8Z(category))
        fixed (byte* n = Utf8Z(name))
            return bpf_program__attach_tracepoint(program, c, n);
    }

    public static nint bpf_program__attach_raw_tracepoint(nint program, string name)
    {
        fixed (byte* n = Utf8Z(name))
            return bpf_program__attach_raw_tracepoint(program, n);
    }

    /// <summary>The initial contents of a global-data map, copied; null when it has none.</summary>
    public static byte[]? bpf_map__initial_value(nint map)
    {
        var data = bpf_map__initial_value(map, out var size);
        return data == 0 ? null : new ReadOnlySpan<byte>((void*)data, checked((int)size)).ToArray();
    }

    /// <summary>No pinning for this map at load (libbpf's <c>LIBBPF_PIN_BY_NAME</c> left unapplied).</summary>
    public static int bpf_map__clear_pin_path(nint map) => bpf_map__set_pin_path(map, null);

    // Maps by fd

    public static int bpf_map_create(int type, string name, uint keySize, uint valueSize, uint maxEntries)
    {
        fixed (byte* n = Utf8Z(name))
            return bpf_map_create(type, n, keySize, valueSize, maxEntries, null);
    }

    /// <summary>Creates a map with <c>map_flags</c> (<c>struct bpf_map_create_opts</c>, libbpf 1.x layout: 48 bytes).</summary>
    public static int bpf_map_create(int type, string name, uint keySize, uint valueSize, uint maxEntries, uint flags)
    {
        Span<byte> options = stackalloc byte[48];
        options.Clear();
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(options, 48);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(options[28..], flags);
        fixed (byte* n = Utf8Z(name))
        fixed (byte* o = options)
            return bpf_map_create(type, n, keySize, valueSize, maxEntries, o);
    }

    public static int bpf_map_lookup_elem(int fd, ReadOnlySpan<byte> key, Span<byte> value)
    {
        fixed (byte* k = key)
        fixed (byte* v = value)
            return bpf_map_lookup_elem(fd, k, v);
    }

    public static int bpf_map_update_elem(int fd, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags)
    {
        fixed (byte* k = key)
        fixed (byte* v = value)
            return bpf_map_update_elem(fd, k, v, flags);
    }

    public static int bpf_map_delete_elem(int fd, ReadOnlySpan<byte> key)
    {
        fixed (byte* k = key)
            return bpf_map_delete_elem(fd, k);
    }

    /// <summary>The key after <paramref name="key"/>; with an empty <paramref name="key"/>, the first.</summary>
    public static int bpf_map_get_next_key(int fd, ReadOnlySpan<byte> key, Span<byte> nextKey)
    {
        fixed (byte* k = key)
        fixed (byte* n = nextKey)
            return bpf_map_get_next_key(fd, key.IsEmpty ? null : k, n);
    }

    /// <summary><c>BPF_MAP_LOOKUP_BATCH</c> from the cursor <paramref name="inBatch"/> (empty: from the start).</summary>
    public static int bpf_map_lookup_batch(int fd, ReadOnlySpan<byte> inBatch, Span<byte> outBatch, Span<byte> keys,
        Span<byte> values, ref uint count)
    {
        var options = new MapBatchOptions { Size = (nuint)sizeof(MapBatchOptions) };
        fixed (byte* i = inBatch)
        fixed (byte* o = outBatch)
        fixed (byte* k = keys)
        fixed (byte* v = values)
        fixed (uint* c = &count)
            return bpf_map_lookup_batch(fd, inBatch.IsEmpty ? null : i, o, k, v, c, &options);
    }

    public static int bpf_map_update_batch(int fd, ReadOnlySpan<byte> keys, ReadOnlySpan<byte> values, ref uint count)
    {
        var options = new MapBatchOptions { Size = (nuint)sizeof(MapBatchOptions) };
        fixed (byte* k = keys)
        fixed (byte* v = values)
        fixed (uint* c = &count)
            return bpf_map_update_batch(fd, k, v, c, &options);
    }

    // Objects by fd, id and pin

    public static int bpf_obj_pin(int fd, string path)
    {
        fixed (byte* p = Utf8Z(path))
            return bpf_obj_pin(fd, p);
    }

    public static int bpf_obj_get(string path)
    {
        fixed (byte* p = Utf8Z(path))
            return bpf_obj_get(p);
    }

    public static int bpf_link__pin(nint link, string path)
    {
        fixed (byte* p = Utf8Z(path))
            return bpf_link__pin(link, p);
    }

    public static int bpf_prog_get_next_id(uint start, out uint next)
    {
        fixed (uint* n = &next)
            return bpf_prog_get_next_id(start, n);
    }

    public static int bpf_link_get_next_id(uint start, out uint next)
    {
        fixed (uint* n = &next)
            return bpf_link_get_next_id(start, n);
    }

    /// <summary><c>bpf_obj_get_info_by_fd</c> into <paramref name="info"/> (cleared first; its length is the room given).</summary>
    public static int bpf_obj_get_info_by_fd(int fd, Span<byte> info)
    {
        info.Clear();
        var length = (uint)info.Length;
        fixed (byte* i = info)
            return bpf_obj_get_info_by_fd(fd, i, &length);
    }

    /// <summary><c>bpf_obj_get_info_by_fd</c> that also has the kernel fill <paramref name="items"/>: their count goes into
    /// the info struct at <paramref name="countAt"/> and their address at <paramref name="pointerAt"/>.</summary>
    public static int bpf_obj_get_info_by_fd<T>(int fd, Span<byte> info, Span<T> items, int countAt, int pointerAt)
        where T : unmanaged
    {
        info.Clear();
        var length = (uint)info.Length;
        fixed (T* buffer = items)
        fixed (byte* i = info)
        {
            *(uint*)(i + countAt) = (uint)items.Length;
            *(ulong*)(i + pointerAt) = (ulong)buffer;
            return bpf_obj_get_info_by_fd(fd, i, &length);
        }
    }

    // Test runs

    /// <summary><c>BPF_PROG_TEST_RUN</c> on <paramref name="dataIn"/>; the packet as it left goes into <paramref name="dataOut"/>
    /// (none when empty), <paramref name="contextIn"/> (when not empty) is the context. The kernel's answer (return value,
    /// duration, output size) is in <paramref name="result"/>.</summary>
    public static int bpf_prog_test_run_opts(int fd, ReadOnlySpan<byte> dataIn, Span<byte> dataOut, ReadOnlySpan<byte> contextIn,
        int repeat, out TestRunResult result)
    {
        fixed (byte* input = dataIn)
        fixed (byte* output = dataOut)
        fixed (byte* context = contextIn)
        {
            var options = new TestRunOptions
            {
                Size = (nuint)sizeof(TestRunOptions),
                DataIn = input,
                DataSizeIn = (uint)dataIn.Length,
                DataOut = dataOut.IsEmpty ? null : output,
                DataSizeOut = (uint)dataOut.Length,
                ContextIn = contextIn.IsEmpty ? null : context,
                ContextSizeIn = (uint)contextIn.Length,
                Repeat = repeat,
            };
            var rc = bpf_prog_test_run_opts(fd, &options);
            result = new TestRunResult(options.ReturnValue, options.Duration, options.DataSizeOut);
            return rc;
        }
    }

    /// <summary>What a test run reports back.</summary>
    public readonly record struct TestRunResult(uint ReturnValue, uint Duration, uint DataSizeOut);

    // XDP and links

    /// <summary><c>bpf_xdp_attach</c>; a non-zero <paramref name="oldProgramFd"/> goes into the options (with
    /// <c>XDP_FLAGS_REPLACE</c> in <paramref name="flags"/>).</summary>
    public static int bpf_xdp_attach(int ifindex, int programFd, uint flags, int oldProgramFd)
    {
        var options = new XdpAttachOptions { Size = (nuint)sizeof(XdpAttachOptions), OldProgramFd = oldProgramFd };
        return bpf_xdp_attach(ifindex, programFd, flags, &options);
    }

    public static int bpf_xdp_detach(int ifindex, uint flags, int oldProgramFd)
    {
        var options = new XdpAttachOptions { Size = (nuint)sizeof(XdpAttachOptions), OldProgramFd = oldProgramFd };
        return bpf_xdp_detach(ifindex, flags, &options);
    }

    public static int bpf_xdp_query(int ifindex, int flags, out XdpQueryOptions result)
    {
        result = new XdpQueryOptions { Size = (nuint)sizeof(XdpQueryOptions) };
        fixed (XdpQueryOptions* options = &result)
            return bpf_xdp_query(ifindex, flags, options);
    }

    public static int bpf_link_create(int programFd, int targetFd, int attachType) =>
        bpf_link_create(programFd, targetFd, attachType, null);

    public static int bpf_link_update(int linkFd, int newProgramFd, uint flags, uint oldProgramFd)
    {
        var options = new LinkUpdateOptions { Size = (nuint)sizeof(LinkUpdateOptions), Flags = flags, OldProgramFd = oldProgramFd };
        return bpf_link_update(linkFd, newProgramFd, &options);
    }

    /// <summary>The interface's name, or null when there is no interface with that index.</summary>
    public static string? if_indextoname(uint index)
    {
        var buffer = stackalloc byte[16 + 1]; // IF_NAMESIZE and its NUL
        return if_indextoname(index, buffer) == 0 ? null : Marshal.PtrToStringUTF8((nint)buffer);
    }
}
