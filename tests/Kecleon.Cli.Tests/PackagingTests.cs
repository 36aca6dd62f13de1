using System.Diagnostics;
using System.Text.RegularExpressions;
using Kecleon.Tests;
using Xunit;

namespace Kecleon.Cli.Tests;

/// <summary>
/// What runs Kecleon on many machines, checked offline (no container engine, no API server here): the Kubernetes
/// manifests against the Kubernetes schemas (tests/k8s/validate.mjs, kubernetes-models; `scripts/setup` installs it),
/// a broken manifest rejected; the Containerfile's sources present and its commands the ones docs/deploy.md gives.
/// </summary>
public sealed partial class PackagingTests
{
    private static readonly string Root = TestEnvironment.RepositoryRoot;
    private static readonly string Manifest = Path.Combine(Root, "packaging", "kubernetes", "daemonset.yaml");

    private static (int ExitCode, string Output) Validate(string file)
    {
        var validator = Path.Combine(Root, "tests", "k8s");
        Assert.True(Directory.Exists(Path.Combine(validator, "node_modules", "kubernetes-models")),
            "tests/k8s has no node_modules: run scripts/setup (it runs `npm ci` there)");
        var info = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = validator };
        info.ArgumentList.Add("validate.mjs");
        info.ArgumentList.Add(file);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(1)), "the validator did not finish");
        return (process.ExitCode, stdout + stderr.Result);
    }

    [Fact]
    public void The_daemonset_and_its_objects_validate_against_the_kubernetes_schemas()
    {
        var (exitCode, output) = Validate(Manifest);
        Assert.True(exitCode == 0, output);
        foreach (var kind in new[] { "Namespace kecleon", "ServiceAccount kecleon", "ConfigMap kecleon-config", "DaemonSet kecleon" })
            Assert.Contains("ok " + kind, output);
    }

    [Fact]
    public void A_broken_manifest_is_rejected_with_the_field_that_is_wrong()
    {
        var broken = TestEnvironment.TempFile(".yaml");
        File.WriteAllText(broken, File.ReadAllText(Manifest).Replace("hostNetwork: true", "hostNetwork: \"yes\"", StringComparison.Ordinal)
            .Replace("containerPort: 9465", "containerPort: metrics", StringComparison.Ordinal));
        var (exitCode, output) = Validate(broken);
        Assert.Equal(1, exitCode);
        Assert.Contains("spec/template/spec/hostNetwork must be boolean", output);
        Assert.Contains("ports/0/containerPort must be integer", output);

        var unknown = TestEnvironment.TempFile(".yaml");
        File.WriteAllText(unknown, "apiVersion: apps/v1\nkind: DaemonSett\nmetadata:\n  name: x\n");
        var (unknownExit, unknownOutput) = Validate(unknown);
        Assert.Equal(1, unknownExit);
        Assert.Contains("unknown apiVersion/kind apps/v1/DaemonSett", unknownOutput);
    }

    [Fact]
    public void The_daemonset_runs_the_daemon_as_docs_deploy_says()
    {
        var yaml = File.ReadAllText(Manifest);
        Assert.Contains("hostNetwork: true", yaml);
        Assert.Contains("mountPropagation: Bidirectional", yaml);
        Assert.Contains("add: [\"BPF\", \"PERFMON\", \"NET_ADMIN\", \"SYS_ADMIN\"]", yaml);
        Assert.Contains("command: [\"kecleon\", \"status\"]", yaml);
        Assert.Contains("prometheus.io/scrape: \"true\"", yaml);
        // The daemon container is not privileged (only the node-preparing init container is).
        var daemon = yaml[yaml.IndexOf("      containers:", StringComparison.Ordinal)..];
        Assert.Contains("privileged: false", daemon);
        Assert.DoesNotContain("privileged: true", daemon);
        // The capabilities are the systemd unit's.
        var unit = File.ReadAllText(Path.Combine(Root, "packaging", "kecleon.service"));
        foreach (var capability in new[] { "BPF", "PERFMON", "NET_ADMIN", "SYS_ADMIN" })
            Assert.Contains("CAP_" + capability, unit);
    }

    [Fact]
    public void The_containerfile_copies_what_exists_and_runs_the_documented_commands()
    {
        var containerfile = File.ReadAllText(Path.Combine(Root, "packaging", "Containerfile"));
        var lines = Regex.Replace(containerfile, @"\\\n\s*", " ").Split('\n');
        // Every COPY from the build context names a file or folder of the repository.
        foreach (var copy in lines.Where(l => l.StartsWith("COPY ", StringComparison.Ordinal) && !l.Contains("--from=", StringComparison.Ordinal)))
        {
            var sources = copy.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..^1];
            foreach (var source in sources)
                Assert.True(source == "." || File.Exists(Path.Combine(Root, source)) || Directory.Exists(Path.Combine(Root, source)), $"{copy}: {source} is not in the repository");
        }
        Assert.Equal(2, lines.Count(l => l.StartsWith("FROM ", StringComparison.Ordinal)));
        Assert.Contains("FROM debian:bookworm-slim", containerfile);
        Assert.Contains("ENTRYPOINT [\"kecleon\", \"daemon\", \"--config\", \"/etc/kecleon/kecleon.json\"]", containerfile);
        Assert.Contains("ln -s /usr/local/lib/kecleon/kecleon /usr/local/bin/kecleon", containerfile);
        // The runtime stage installs what Kecleon runs with.
        var runtime = lines.SkipWhile(l => l != "FROM debian:bookworm-slim").Single(l => l.Contains("apt-get install", StringComparison.Ordinal)).Split(' ');
        foreach (var package in new[] { "clang-14", "libllvm14", "libbpf1", "bpftool", "iproute2" })
            Assert.Contains(package, runtime);

        // The build and publish commands are the ones docs/deploy.md gives.
        var deploy = File.ReadAllText(Path.Combine(Root, "docs", "deploy.md"));
        Assert.Contains("podman build -f packaging/Containerfile -t kecleon .", deploy);
        Assert.Contains("scripts/publish /out", containerfile);
        Assert.Contains("dotnet publish src/Cli -c Release -r linux-x64 --self-contained -p:PublishSingleFile=true", containerfile);
        Assert.Contains("kubectl apply -f packaging/kubernetes/daemonset.yaml", deploy);
        Assert.Contains("kecleon restore --all", deploy);
        // The context leaves build output and installed packages out.
        var ignore = File.ReadAllText(Path.Combine(Root, ".dockerignore"));
        foreach (var excluded in new[] { "**/bin/", "**/obj/", "**/node_modules/" })
            Assert.Contains(excluded, ignore);
    }
}
