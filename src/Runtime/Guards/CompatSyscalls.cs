using System.ComponentModel;
using System.Diagnostics;

namespace Kecleon.Runtime.Guards;

/// <summary>
/// Whether this kernel runs 32-bit (IA-32) system calls, whose <c>bpf()</c> the syscall tracepoints do not see. Asked
/// once per process by running a 64-byte i386 program that exits at once: a kernel without IA-32 emulation, or with it
/// turned off (<c>ia32_emulation=off</c>, or a host that forces it off), refuses it with <c>ENOEXEC</c>, and then refuses
/// <c>int $0x80</c> from 64-bit processes as well. Anything else (it runs, or it cannot be tried) counts as open.
/// </summary>
internal static class CompatSyscalls
{
    private const int ENOEXEC = 8;

    private static readonly Lazy<bool> Probe = new(Run);

    /// <summary>True unless the kernel provably refuses 32-bit programs.</summary>
    public static bool Open => Probe.Value;

    /// <summary>An ELF32 i386 executable: header, one PT_LOAD of the whole file at 0x08048000, then
    /// <c>mov eax, 1; xor ebx, ebx; int 0x80</c> (exit(0)).</summary>
    private static byte[] ExitProgram()
    {
        const uint loadAddress = 0x08048000, headerSize = 52, programHeaderSize = 32, entry = loadAddress + headerSize + programHeaderSize;
        byte[] code = [0xb8, 0x01, 0x00, 0x00, 0x00, 0x31, 0xdb, 0xcd, 0x80];
        var elf = new byte[headerSize + programHeaderSize + code.Length];
        var w = new BinaryWriter(new MemoryStream(elf));
        w.Write([0x7f, (byte)'E', (byte)'L', (byte)'F', 1, 1, 1, 0]); // ELFCLASS32, little endian, version 1
        w.Write(new byte[8]);
        w.Write((ushort)2); // ET_EXEC
        w.Write((ushort)3); // EM_386
        w.Write(1u); // version
        w.Write(entry);
        w.Write(headerSize); // program headers right after this header
        w.Write(0u); // no section headers
        w.Write(0u); // flags
        w.Write((ushort)headerSize);
        w.Write((ushort)programHeaderSize);
        w.Write((ushort)1);
        w.Write((ushort)40); // e_shentsize
        w.Write((ushort)0);
        w.Write((ushort)0);
        w.Write(1u); // PT_LOAD
        w.Write(0u); // offset
        w.Write(loadAddress);
        w.Write(loadAddress);
        w.Write((uint)elf.Length);
        w.Write((uint)elf.Length);
        w.Write(5u); // PF_R | PF_X
        w.Write(0x1000u);
        w.Write(code);
        return elf;
    }

    private static bool Run()
    {
        var path = Path.Combine(Path.GetTempPath(), $"kecleon-ia32-probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            File.WriteAllBytes(path, ExitProgram());
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserExecute);
            using var process = Process.Start(new ProcessStartInfo(path) { UseShellExecute = false });
            process?.WaitForExit(5000);
            return true;
        }
        catch (Win32Exception e) when (e.NativeErrorCode == ENOEXEC)
        {
            return false;
        }
        catch (Exception e) when (e is Win32Exception or IOException or UnauthorizedAccessException)
        {
            return true; // cannot tell (say, a noexec /tmp): watch the 32-bit entry
        }
        finally
        {
            File.Delete(path);
        }
    }
}
