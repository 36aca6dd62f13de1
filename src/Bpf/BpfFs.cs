namespace Kecleon.Bpf;

/// <summary>
/// Where pins can go: only a bpffs mount holds pinned programs, maps and links. Pinning elsewhere fails with EPERM,
/// which reads like a missing privilege; asking first lets a command name the real problem, the folder.
/// </summary>
public static class BpfFs
{
    /// <summary>Why <paramref name="path"/> (a folder that may not exist yet) cannot hold pins, or null when it is on
    /// bpffs. The folder's nearest existing ancestor decides: folders made under a bpffs mount are bpffs too.</summary>
    public static string? Problem(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
            return "is empty: give a folder under /sys/fs/bpf";
        var full = Path.GetFullPath(path);
        if (File.Exists(full))
            return $"{path} is a file, not a folder on bpffs";
        var existing = full;
        while (!Directory.Exists(existing))
            existing = Path.GetDirectoryName(existing) ?? "/";
        var type = FileSystemOf(existing);
        return type is null or "bpf"
            ? null
            : $"{path} is not on a bpffs mount ({existing} is on {type}); pins need bpffs: give a folder under /sys/fs/bpf " +
              "(mount it with `mount -t bpf bpf /sys/fs/bpf` if it is missing)";
    }

    /// <summary>The file-system type of the mount holding <paramref name="directory"/>, from /proc/self/mountinfo (null
    /// when it cannot be read).</summary>
    private static string? FileSystemOf(string directory)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines("/proc/self/mountinfo");
        }
        catch (IOException)
        {
            return null;
        }
        string? best = null, type = null;
        foreach (var line in lines)
        {
            // "36 35 98:0 /root /mnt/point rw,noatime shared:1 - ext4 /dev/sda1 rw": the fifth field is the mount point,
            // the type follows the " - " separator; the last mount over a path is the one in effect.
            var fields = line.Split(' ');
            var separator = Array.IndexOf(fields, "-");
            if (fields.Length < 5 || separator < 0 || separator + 1 >= fields.Length)
                continue;
            var mountPoint = Unescape(fields[4]);
            if (!Contains(mountPoint, directory) || (best is not null && mountPoint.Length < best.Length))
                continue;
            best = mountPoint;
            type = fields[separator + 1];
        }
        return type;
    }

    private static bool Contains(string mountPoint, string path) =>
        mountPoint == "/" || path == mountPoint || path.StartsWith(mountPoint + "/", StringComparison.Ordinal);

    /// <summary>mountinfo writes space, tab, newline and backslash as octal escapes (<c>\040</c>).</summary>
    private static string Unescape(string field) =>
        System.Text.RegularExpressions.Regex.Replace(field, @"\\([0-7]{3})", m => ((char)Convert.ToInt32(m.Groups[1].Value, 8)).ToString());
}
