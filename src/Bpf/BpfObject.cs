using System.Runtime.InteropServices;
using Kecleon.Interop;
using Microsoft.Win32.SafeHandles;

namespace Kecleon.Bpf;

/// <summary>
/// A libbpf <c>bpf_object</c>: an ELF object opened (programs and map definitions known) and, after <see cref="Load"/>,
/// in the kernel. Closing it closes every program and map fd it holds; maps another object reuses stay alive through
/// that object's own fd.
/// </summary>
public sealed class BpfObject : SafeHandleZeroOrMinusOneIsInvalid
{
    /// <summary>Room for one verifier log. The kernel keeps the end of a longer log, which is where the reason is.</summary>
    private const int VerifierLogSize = 16 * 1024 * 1024;

    // libbpf reads the ELF image in place until the object is loaded, so it lives in native memory we own.
    private nint _image;
    private List<BpfProgram>? _programs;
    private List<BpfMap>? _maps;

    private BpfObject() : base(ownsHandle: true) { }

    public string Name { get; private init; } = "";
    public bool IsLoaded { get; private set; }

    /// <summary>Opens an ELF object from memory; <paramref name="name"/> names it in messages and in the kernel.</summary>
    public static BpfObject Open(ReadOnlySpan<byte> elf, string name)
    {
        LibbpfLog.EnsureInstalled();
        var obj = new BpfObject { Name = name };
        obj._image = NativeBuffer.Copy(elf);
        using var log = LibbpfLog.Capture();
        var raw = LibbpfApi.bpf_object__open_mem(obj._image, elf.Length, SanitizeName(name));
        if (raw == 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            obj.Dispose();
            throw new InvalidInputException($"{name}: libbpf cannot open this BPF object: {Errno.Describe(errno)}",
                log.Text + (log.Text.Contains("legacy map", StringComparison.Ordinal)
                    ? "\nlibbpf 1.x needs BTF-defined maps in SEC(\".maps\") and the object built with -g." : ""));
        }
        obj.SetHandle(raw);
        SetTypesLibbpfDoesNotKnow(raw);
        // Kecleon pins only under its own pin root, and only what it chooses: libbpf would otherwise pin (or reuse the
        // pin of) every map declared with LIBBPF_PIN_BY_NAME under /sys/fs/bpf, outside that root, and hand a check's
        // copy the live map pinned there. Live maps are shared explicitly (BpfMap.ReuseFd).
        foreach (var map in obj.Maps)
            map.ClearPinPath();
        return obj;
    }

    /// <summary>libbpf 1.1 predates tcx: a program in a <c>tcx/ingress</c> or <c>tcx/egress</c> section is a SCHED_CLS
    /// program (a tcx link takes any of them), as newer libbpf reads it.</summary>
    private static void SetTypesLibbpfDoesNotKnow(nint raw)
    {
        for (var p = LibbpfApi.bpf_object__next_program(raw, 0); p != 0; p = LibbpfApi.bpf_object__next_program(raw, p))
            if (LibbpfApi.bpf_program__type(p) == (int)BpfProgramType.Unspec &&
                LibbpfApi.ReadString(LibbpfApi.bpf_program__section_name(p)) is "tcx/ingress" or "tcx/egress")
                LibbpfApi.bpf_program__set_type(p, (int)BpfProgramType.SchedCls);
    }

    public static BpfObject OpenFile(string path)
    {
        if (!File.Exists(path))
            throw new InputNotFoundException($"{path}: no such file");
        return Open(File.ReadAllBytes(path), Path.GetFileName(path));
    }

    public IReadOnlyList<BpfProgram> Programs => _programs ??= EnumeratePrograms();
    public IReadOnlyList<BpfMap> Maps => _maps ??= EnumerateMaps();

    public BpfProgram Program(string name) => Programs.FirstOrDefault(p => p.Name == name)
        ?? throw new UsageException($"{Name} has no program '{name}'; it has: {string.Join(", ", Programs.Select(p => p.Name))}");

    public BpfMap Map(string name) => Maps.FirstOrDefault(m => m.Name == name)
        ?? throw new KecleonException($"{Name} has no map '{name}'; it has: {string.Join(", ", Maps.Select(m => m.Name))}");

    public BpfMap? FindMap(string name) => Maps.FirstOrDefault(m => m.Name == name);

    /// <summary>
    /// Creates the maps (or reuses the fds given with <see cref="BpfMap.ReuseFd"/>) and loads every program still set to
    /// autoload. A verifier rejection throws <see cref="VerifierRejectedException"/> with the log; nothing is left loaded.
    /// </summary>
    public void Load()
    {
        ObjectDisposedException.ThrowIf(IsClosed, this);
        if (IsLoaded)
            throw new InvalidOperationException($"{Name} is already loaded");
        var logs = new Dictionary<BpfProgram, nint>();
        try
        {
            foreach (var program in Programs)
            {
                var buffer = NativeBuffer.AllocateString(VerifierLogSize);
                logs[program] = buffer;
                // Log level 0 with a buffer: libbpf asks for a log only when the load fails, then retries at level 1.
                LibbpfApi.bpf_program__set_log_buf(program.Raw, buffer, VerifierLogSize);
            }
            using var log = LibbpfLog.Capture();
            var rc = LibbpfApi.bpf_object__load(handle);
            if (rc < 0)
            {
                foreach (var (program, buffer) in logs)
                    if (Marshal.PtrToStringUTF8(buffer) is { Length: > 0 } verifierLog)
                        throw new VerifierRejectedException(program.Name, -rc, verifierLog);
                throw BpfException.FromErrno($"load {Name}", -rc, log.Text);
            }
            IsLoaded = true;
        }
        finally
        {
            foreach (var (program, buffer) in logs)
            {
                LibbpfApi.bpf_program__set_log_buf(program.Raw, 0, 0);
                NativeBuffer.Free(buffer);
            }
        }
    }

    private List<BpfProgram> EnumeratePrograms()
    {
        var list = new List<BpfProgram>();
        for (var p = LibbpfApi.bpf_object__next_program(handle, 0); p != 0; p = LibbpfApi.bpf_object__next_program(handle, p))
            list.Add(new BpfProgram(this, p));
        return list;
    }

    private List<BpfMap> EnumerateMaps()
    {
        var list = new List<BpfMap>();
        for (var m = LibbpfApi.bpf_object__next_map(handle, 0); m != 0; m = LibbpfApi.bpf_object__next_map(handle, m))
            list.Add(new BpfMap(this, m));
        return list;
    }

    /// <summary>Kernel object names are at most 15 characters of [A-Za-z0-9_.].</summary>
    private static string SanitizeName(string name)
    {
        var stem = Path.GetFileNameWithoutExtension(name);
        var chars = stem.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' ? c : '_').ToArray();
        return new string(chars, 0, Math.Min(chars.Length, 15));
    }

    internal void ThrowIfClosed() => ObjectDisposedException.ThrowIf(IsClosed, this);

    protected override bool ReleaseHandle()
    {
        LibbpfApi.bpf_object__close(handle);
        FreeImage();
        return true;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        FreeImage(); // also when open failed and no handle was ever set
    }

    private void FreeImage()
    {
        var image = Interlocked.Exchange(ref _image, 0);
        if (image != 0)
            NativeBuffer.Free(image);
    }
}

/// <summary>A program of a <see cref="BpfObject"/>; valid while the object is open.</summary>
public sealed class BpfProgram
{
    private readonly BpfObject _owner;

    internal BpfProgram(BpfObject owner, nint raw)
    {
        _owner = owner;
        Raw = raw;
        Name = LibbpfApi.ReadString(LibbpfApi.bpf_program__name(raw)) ?? "";
        Section = LibbpfApi.ReadString(LibbpfApi.bpf_program__section_name(raw)) ?? "";
    }

    internal nint Raw { get; }
    public BpfObject Object => _owner;
    public string Name { get; }
    public string Section { get; }
    public BpfProgramType Type => (BpfProgramType)LibbpfApi.bpf_program__type(Raw);
    /// <summary>Instructions in the ELF (before the verifier's rewrites).</summary>
    public int InstructionCount => (int)LibbpfApi.bpf_program__insn_cnt(Raw);

    public bool Autoload
    {
        set => LibbpfApi.bpf_program__set_autoload(Raw, value);
    }

    /// <summary>The program's fd once loaded (owned by the object).</summary>
    public int Fd
    {
        get
        {
            _owner.ThrowIfClosed();
            var fd = LibbpfApi.bpf_program__fd(Raw);
            return fd >= 0 ? fd : throw new InvalidOperationException($"program {Name} is not loaded");
        }
    }

    public BpfProgramInfo Info() => BpfProgramInfo.FromFd(Fd);

    public BpfTestRunResult TestRun(ReadOnlySpan<byte> packet, int repeat = 1, ReadOnlySpan<byte> context = default) =>
        BpfTestRun.Run(Fd, Name, packet, repeat, context);

    public override string ToString() => Name;
}

/// <summary>A map of a <see cref="BpfObject"/>; valid while the object is open.</summary>
public sealed class BpfMap : BpfMapAccess
{
    private readonly BpfObject _owner;

    internal BpfMap(BpfObject owner, nint raw)
    {
        _owner = owner;
        Raw = raw;
        Name = LibbpfApi.ReadString(LibbpfApi.bpf_map__name(raw)) ?? "";
    }

    internal nint Raw { get; }
    public BpfObject Object => _owner;
    public override string Name { get; }
    public override BpfMapType Type => (BpfMapType)LibbpfApi.bpf_map__type(Raw);
    public override int KeySize => (int)LibbpfApi.bpf_map__key_size(Raw);
    public override int ValueSize => (int)LibbpfApi.bpf_map__value_size(Raw);
    public override int MaxEntries => (int)LibbpfApi.bpf_map__max_entries(Raw);
    public BpfMapFlags Flags => (BpfMapFlags)LibbpfApi.bpf_map__map_flags(Raw);
    /// <summary>A map libbpf made for global data (<c>.rodata</c>, <c>.data</c>, <c>.bss</c>, <c>.kconfig</c>).</summary>
    public bool IsInternal => LibbpfApi.bpf_map__is_internal(Raw) != 0;

    public override int Fd
    {
        get
        {
            _owner.ThrowIfClosed();
            var fd = LibbpfApi.bpf_map__fd(Raw);
            return fd >= 0 ? fd : throw new InvalidOperationException($"map {Name} is not created yet (load the object first)");
        }
    }

    /// <summary>Use an existing kernel map instead of creating one at load: how an optimized program shares the
    /// original's maps. libbpf checks that type, key/value sizes and flags agree.</summary>
    public void ReuseFd(BpfMapAccess existing)
    {
        _owner.ThrowIfClosed();
        var rc = LibbpfApi.bpf_map__reuse_fd(Raw, existing.Fd);
        if (rc < 0)
            throw BpfException.FromErrno($"reuse map {existing.Name} for {Name}", -rc);
    }

    /// <summary>Creates this map (at load) with <paramref name="live"/>'s definition: its size (a loader may have resized
    /// the live map before load, so the object's own can be 0 or another), and flags; for a map of maps, the template of
    /// its inner maps is <paramref name="innerTemplate"/> when given.</summary>
    public void TakeDefinition(BpfMapAccess live, BpfMapFlags flags, BpfMapAccess? innerTemplate = null)
    {
        _owner.ThrowIfClosed();
        if (live.Type != Type || live.KeySize != KeySize || live.ValueSize != ValueSize)
            throw new KecleonException($"map {Name} is a {Type} of {KeySize}-byte keys and {ValueSize}-byte values in the object, " +
                                       $"but live map {live.Name} is a {live.Type} of {live.KeySize}-byte keys and {live.ValueSize}-byte values");
        Check(LibbpfApi.bpf_map__set_max_entries(Raw, (uint)live.MaxEntries), "set the size of");
        Check(LibbpfApi.bpf_map__set_map_flags(Raw, (uint)flags), "set the flags of");
        if (innerTemplate is not null)
            Check(LibbpfApi.bpf_map__set_inner_map_fd(Raw, innerTemplate.Fd), "set the inner map template of");
    }

    /// <summary>Creates this map (at load) with <paramref name="flags"/> besides its own (<c>BPF_F_MMAPABLE</c> for a
    /// global-data section libbpf would not map: one without BTF, say).</summary>
    public void AddFlags(BpfMapFlags flags)
    {
        _owner.ThrowIfClosed();
        Check(LibbpfApi.bpf_map__set_map_flags(Raw, (uint)(Flags | flags)), "set the flags of");
    }

    internal void ClearPinPath() => Check(LibbpfApi.bpf_map__clear_pin_path(Raw), "clear the pin path of");

    private void Check(int rc, string what)
    {
        if (rc < 0)
            throw BpfException.FromErrno($"{what} map {Name}", -rc);
    }

    /// <summary>The initial contents of a global-data map, as the ELF has them.</summary>
    public byte[]? InitialValue() => LibbpfApi.bpf_map__initial_value(Raw);

    public void Pin(string path) => BpfFd.Pin(Fd, path);

    public override string ToString() => Name;
}
