using System.Diagnostics;
using ELFSharp.ELF;
using Kecleon.Llvm;

namespace Kecleon.FrontEnd;

/// <summary>The four ways a user hands Kecleon an eBPF program.</summary>
public enum SourceKind
{
    /// <summary>C source, compiled here with clang.</summary>
    C,
    /// <summary>Textual LLVM IR (<c>.ll</c>).</summary>
    LlvmText,
    /// <summary>LLVM bitcode (<c>.bc</c>).</summary>
    Bitcode,
    /// <summary>A BPF ELF object built with <c>-fembed-bitcode</c>: its <c>.llvmbc</c> section holds the IR (one bitcode
    /// file per object for an object linked by <c>bpftool gen object</c>, linked here into one module), and the object
    /// itself is what the user's own loader runs.</summary>
    EmbeddedBitcode,
}

/// <summary>Options for turning an input into IR.</summary>
public sealed record FrontEndOptions
{
    public static readonly FrontEndOptions Default = new();

    /// <summary>Extra clang flags (<c>-DNAME</c>, <c>-I dir</c>) for C inputs.</summary>
    public IReadOnlyList<string> ClangFlags { get; init; } = [];
}

/// <summary>
/// An eBPF program's IR as read from the user's input, plus what a user would have loaded without Kecleon (the ELF they
/// passed, or for C, clang's own object) so that runs and benchmarks can compare against it.
/// </summary>
public sealed class ProgramSource
{
    private ProgramSource(string path, SourceKind kind, byte[] ir, byte[]? userObject)
    {
        Path = path;
        Kind = kind;
        Ir = ir;
        UserObject = userObject;
    }

    public string Path { get; }
    public string Name => System.IO.Path.GetFileName(Path);
    public SourceKind Kind { get; }
    /// <summary>Bitcode or textual IR; <see cref="LlvmModule.Parse"/> takes either.</summary>
    public byte[] Ir { get; }
    /// <summary>The object the user already has (for <see cref="SourceKind.EmbeddedBitcode"/>), else null.</summary>
    public byte[]? UserObject { get; }

    public static ProgramSource Read(string path, FrontEndOptions? options = null)
    {
        options ??= FrontEndOptions.Default;
        if (Directory.Exists(path))
            throw new InputNotFoundException($"{path} is a directory; give a .c, .ll, .bc or BPF object file");
        if (!File.Exists(path))
            throw new InputNotFoundException($"{path}: no such file");
        var bytes = File.ReadAllBytes(path);
        var kind = Detect(path, bytes);
        return kind switch
        {
            SourceKind.C => new ProgramSource(path, kind, Clang.CompileToBitcode(path, options.ClangFlags), null),
            SourceKind.EmbeddedBitcode => new ProgramSource(path, kind, ReadEmbeddedBitcode(path, bytes), bytes),
            _ => new ProgramSource(path, kind, bytes, null),
        };
    }

    /// <summary>Parses the IR into <paramref name="context"/>. IR without <c>-g</c> metadata is refused: the BPF back end
    /// needs it to emit the BTF that libbpf requires for <c>.maps</c>.</summary>
    public LlvmModule Parse(LlvmContext context)
    {
        var module = LlvmModule.Parse(context, Ir, Name);
        if (module.DebugMetadataVersion == 0)
        {
            module.Dispose();
            throw new InvalidInputException(
                $"{Name}: the IR has no debug metadata. Compile with -g (clang-14 -O2 -g -target bpf ...): the BPF back end " +
                "emits BTF from it, and libbpf needs BTF for maps in SEC(\".maps\").");
        }
        return module;
    }

    /// <summary>What the user would load without Kecleon: their own object, or for C clang's own object.</summary>
    public byte[] BuildBaselineObject(FrontEndOptions? options = null) =>
        UserObject ?? (Kind == SourceKind.C
            ? Clang.CompileToObject(Path, (options ?? FrontEndOptions.Default).ClangFlags)
            : throw new InvalidOperationException($"{Name}: IR input has no baseline object; compile it with our pipeline"));

    /// <summary>What kind of input <paramref name="bytes"/> are, by content first and file name second.</summary>
    public static SourceKind Detect(string path, ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length >= 4 && bytes[0] == 0x7f && bytes[1] == (byte)'E' && bytes[2] == (byte)'L' && bytes[3] == (byte)'F')
            return SourceKind.EmbeddedBitcode;
        // Raw bitcode starts with "BC" 0xC0DE; the wrapper form with 0x0B17C0DE.
        if (bytes.Length >= 4 && ((bytes[0] == 'B' && bytes[1] == 'C' && bytes[2] == 0xC0 && bytes[3] == 0xDE)
                                  || (bytes[0] == 0xDE && bytes[1] == 0xC0 && bytes[2] == 0x17 && bytes[3] == 0x0B)))
            return SourceKind.Bitcode;
        return System.IO.Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".c" or ".h" => SourceKind.C,
            ".ll" => SourceKind.LlvmText,
            ".bc" => throw new InvalidInputException($"{path}: not LLVM bitcode (no bitcode magic at the start)"),
            ".o" => throw new InvalidInputException($"{path}: not an ELF object"),
            var ext => throw new InvalidInputException(
                $"{path}: unknown input type '{ext}'. Kecleon reads C (.c), LLVM IR (.ll), bitcode (.bc) or a BPF object built with -fembed-bitcode (.o)"),
        };
    }

    private static byte[] ReadEmbeddedBitcode(string path, byte[] bytes)
    {
        if (!ELFReader.TryLoad(new MemoryStream(bytes), shouldOwnStream: true, out var elf))
            throw new InvalidInputException($"{path}: not a readable ELF object");
        using (elf)
        {
            const int emBpf = 247; // ELFSharp's Machine enum has no name for it
            if ((int)elf.Machine != emBpf)
                throw new InvalidInputException($"{path}: an ELF object for {elf.Machine}, not for BPF");
            var section = elf.Sections.FirstOrDefault(s => s.Name == ".llvmbc");
            if (section is null)
                throw new InvalidInputException(
                    $"{path}: the object has no .llvmbc section, so its IR is not available. Rebuild it with -fembed-bitcode, " +
                    "e.g. `clang-14 -O2 -g -target bpf -fembed-bitcode -c prog.c -o prog.o` (libbpf ignores the section, " +
                    "so your loader keeps working), or give Kecleon the .c, .ll or .bc file instead.");
            // A linked object (bpftool gen object) holds one bitcode file per object it was linked from.
            return EmbeddedBitcode.Link(section.GetContents(), System.IO.Path.GetFileName(path));
        }
    }
}

/// <summary>Runs clang-14 for the BPF target.</summary>
public static class Clang
{
    /// <summary>Debian's clang for BPF finds &lt;asm/types.h&gt; only with the multiarch include directory.</summary>
    private static readonly string[] StandardFlags =
        ["-O2", "-g", "-target", "bpf", "-I/usr/include/x86_64-linux-gnu", "-Wno-unused-command-line-argument"];

    public static string Executable =>
        Environment.GetEnvironmentVariable("KECLEON_CLANG") is { Length: > 0 } custom ? custom : "clang-14";

    public static byte[] CompileToBitcode(string source, IReadOnlyList<string> flags) => Run(source, ["-emit-llvm", .. flags]);

    public static byte[] CompileToObject(string source, IReadOnlyList<string> flags) => Run(source, flags);

    private static byte[] Run(string source, IReadOnlyList<string> flags)
    {
        var output = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"kecleon-{Guid.NewGuid():N}.out");
        var info = new ProcessStartInfo(Executable) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var flag in StandardFlags.Concat(["-I", System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(source))!]).Concat(flags))
            info.ArgumentList.Add(flag);
        foreach (var arg in new[] { "-c", source, "-o", output })
            info.ArgumentList.Add(arg);
        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new MissingDependencyException($"cannot run {Executable}: install it with `apt-get install clang-14` (or set KECLEON_CLANG)");
        }
        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            try
            {
                if (process.ExitCode != 0)
                    throw new InvalidInputException($"{source}: clang could not compile it (exit {process.ExitCode})", stderr.Result);
                return File.ReadAllBytes(output);
            }
            finally
            {
                File.Delete(output);
            }
        }
    }
}
