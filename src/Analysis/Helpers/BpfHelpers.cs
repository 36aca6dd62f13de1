namespace Kecleon.Helpers;

/// <summary>What a helper does to the map it is given.</summary>
public enum MapEffect
{
    /// <summary>The helper takes no map.</summary>
    None,
    /// <summary>Returns a pointer to a value (<c>bpf_map_lookup_elem</c>); what happens through it is the caller's.</summary>
    Lookup,
    /// <summary>Reads the map without handing out a pointer (<c>bpf_map_peek_elem</c>, <c>bpf_redirect_map</c>).</summary>
    Read,
    /// <summary>Changes the map's contents: update, delete, push, pop, output to a ring or perf buffer.</summary>
    Write,
    /// <summary>Jumps to a program from a <c>PROG_ARRAY</c>.</summary>
    TailCall,
    /// <summary>Hands the map to something we do not follow (a callback, a timer): it may be written.</summary>
    Unknown,
}

/// <summary>What a helper does with a pointer argument.</summary>
public enum PointerEffect { Unknown, Reads, Writes }

/// <summary>One BPF helper: its id (<c>BPF_FUNC_*</c>), name, and — for the ones we model — its effects.</summary>
/// <param name="MapArgument">Which argument is the map, or -1.</param>
/// <param name="IsModelled">False for helpers this table does not describe: they may write what they are given.</param>
public sealed record BpfHelper(int Id, string Name, MapEffect MapEffect, int MapArgument, IReadOnlyList<PointerEffect> Arguments,
    bool IsModelled)
{

    /// <summary>What the helper does with a pointer passed as argument <paramref name="index"/>.</summary>
    public PointerEffect ArgumentEffect(int index) => index < Arguments.Count ? Arguments[index] : PointerEffect.Unknown;

    public override string ToString() => Name;
}

/// <summary>
/// Helper ids and names from <c>linux/bpf.h</c> (<c>__BPF_FUNC_MAPPER</c>, Linux 6.1), and the effects of the helpers an
/// XDP or TC program uses on maps and memory. A helper not modelled here is treated as writing whatever it is given.
/// </summary>
public static class BpfHelpers
{
    // Index = helper id.
    private static readonly string[] Names =
    [
        "unspec", "bpf_map_lookup_elem", "bpf_map_update_elem", "bpf_map_delete_elem", "bpf_probe_read", "bpf_ktime_get_ns",
        "bpf_trace_printk", "bpf_get_prandom_u32", "bpf_get_smp_processor_id", "bpf_skb_store_bytes", "bpf_l3_csum_replace",
        "bpf_l4_csum_replace", "bpf_tail_call", "bpf_clone_redirect", "bpf_get_current_pid_tgid", "bpf_get_current_uid_gid",
        "bpf_get_current_comm", "bpf_get_cgroup_classid", "bpf_skb_vlan_push", "bpf_skb_vlan_pop", "bpf_skb_get_tunnel_key",
        "bpf_skb_set_tunnel_key", "bpf_perf_event_read", "bpf_redirect", "bpf_get_route_realm", "bpf_perf_event_output",
        "bpf_skb_load_bytes", "bpf_get_stackid", "bpf_csum_diff", "bpf_skb_get_tunnel_opt", "bpf_skb_set_tunnel_opt",
        "bpf_skb_change_proto", "bpf_skb_change_type", "bpf_skb_under_cgroup", "bpf_get_hash_recalc",
        "bpf_get_current_task", "bpf_probe_write_user", "bpf_current_task_under_cgroup", "bpf_skb_change_tail",
        "bpf_skb_pull_data", "bpf_csum_update", "bpf_set_hash_invalid", "bpf_get_numa_node_id", "bpf_skb_change_head",
        "bpf_xdp_adjust_head", "bpf_probe_read_str", "bpf_get_socket_cookie", "bpf_get_socket_uid", "bpf_set_hash",
        "bpf_setsockopt", "bpf_skb_adjust_room", "bpf_redirect_map", "bpf_sk_redirect_map", "bpf_sock_map_update",
        "bpf_xdp_adjust_meta", "bpf_perf_event_read_value", "bpf_perf_prog_read_value", "bpf_getsockopt",
        "bpf_override_return", "bpf_sock_ops_cb_flags_set", "bpf_msg_redirect_map", "bpf_msg_apply_bytes",
        "bpf_msg_cork_bytes", "bpf_msg_pull_data", "bpf_bind", "bpf_xdp_adjust_tail", "bpf_skb_get_xfrm_state",
        "bpf_get_stack", "bpf_skb_load_bytes_relative", "bpf_fib_lookup", "bpf_sock_hash_update", "bpf_msg_redirect_hash",
        "bpf_sk_redirect_hash", "bpf_lwt_push_encap", "bpf_lwt_seg6_store_bytes", "bpf_lwt_seg6_adjust_srh",
        "bpf_lwt_seg6_action", "bpf_rc_repeat", "bpf_rc_keydown", "bpf_skb_cgroup_id", "bpf_get_current_cgroup_id",
        "bpf_get_local_storage", "bpf_sk_select_reuseport", "bpf_skb_ancestor_cgroup_id", "bpf_sk_lookup_tcp",
        "bpf_sk_lookup_udp", "bpf_sk_release", "bpf_map_push_elem", "bpf_map_pop_elem", "bpf_map_peek_elem",
        "bpf_msg_push_data", "bpf_msg_pop_data", "bpf_rc_pointer_rel", "bpf_spin_lock", "bpf_spin_unlock",
        "bpf_sk_fullsock", "bpf_tcp_sock", "bpf_skb_ecn_set_ce", "bpf_get_listener_sock", "bpf_skc_lookup_tcp",
        "bpf_tcp_check_syncookie", "bpf_sysctl_get_name", "bpf_sysctl_get_current_value", "bpf_sysctl_get_new_value",
        "bpf_sysctl_set_new_value", "bpf_strtol", "bpf_strtoul", "bpf_sk_storage_get", "bpf_sk_storage_delete",
        "bpf_send_signal", "bpf_tcp_gen_syncookie", "bpf_skb_output", "bpf_probe_read_user", "bpf_probe_read_kernel",
        "bpf_probe_read_user_str", "bpf_probe_read_kernel_str", "bpf_tcp_send_ack", "bpf_send_signal_thread",
        "bpf_jiffies64", "bpf_read_branch_records", "bpf_get_ns_current_pid_tgid", "bpf_xdp_output", "bpf_get_netns_cookie",
        "bpf_get_current_ancestor_cgroup_id", "bpf_sk_assign", "bpf_ktime_get_boot_ns", "bpf_seq_printf", "bpf_seq_write",
        "bpf_sk_cgroup_id", "bpf_sk_ancestor_cgroup_id", "bpf_ringbuf_output", "bpf_ringbuf_reserve", "bpf_ringbuf_submit",
        "bpf_ringbuf_discard", "bpf_ringbuf_query", "bpf_csum_level", "bpf_skc_to_tcp6_sock", "bpf_skc_to_tcp_sock",
        "bpf_skc_to_tcp_timewait_sock", "bpf_skc_to_tcp_request_sock", "bpf_skc_to_udp6_sock", "bpf_get_task_stack",
        "bpf_load_hdr_opt", "bpf_store_hdr_opt", "bpf_reserve_hdr_opt", "bpf_inode_storage_get", "bpf_inode_storage_delete",
        "bpf_d_path", "bpf_copy_from_user", "bpf_snprintf_btf", "bpf_seq_printf_btf", "bpf_skb_cgroup_classid",
        "bpf_redirect_neigh", "bpf_per_cpu_ptr", "bpf_this_cpu_ptr", "bpf_redirect_peer", "bpf_task_storage_get",
        "bpf_task_storage_delete", "bpf_get_current_task_btf", "bpf_bprm_opts_set", "bpf_ktime_get_coarse_ns",
        "bpf_ima_inode_hash", "bpf_sock_from_file", "bpf_check_mtu", "bpf_for_each_map_elem", "bpf_snprintf", "bpf_sys_bpf",
        "bpf_btf_find_by_name_kind", "bpf_sys_close", "bpf_timer_init", "bpf_timer_set_callback", "bpf_timer_start",
        "bpf_timer_cancel", "bpf_get_func_ip", "bpf_get_attach_cookie", "bpf_task_pt_regs", "bpf_get_branch_snapshot",
        "bpf_trace_vprintk", "bpf_skc_to_unix_sock", "bpf_kallsyms_lookup_name", "bpf_find_vma", "bpf_loop", "bpf_strncmp",
        "bpf_get_func_arg", "bpf_get_func_ret", "bpf_get_func_arg_cnt", "bpf_get_retval", "bpf_set_retval",
        "bpf_xdp_get_buff_len", "bpf_xdp_load_bytes", "bpf_xdp_store_bytes", "bpf_copy_from_user_task",
        "bpf_skb_set_tstamp", "bpf_ima_file_hash", "bpf_kptr_xchg", "bpf_map_lookup_percpu_elem", "bpf_skc_to_mptcp_sock",
        "bpf_dynptr_from_mem", "bpf_ringbuf_reserve_dynptr", "bpf_ringbuf_submit_dynptr", "bpf_ringbuf_discard_dynptr",
        "bpf_dynptr_read", "bpf_dynptr_write", "bpf_dynptr_data", "bpf_tcp_raw_gen_syncookie_ipv4",
        "bpf_tcp_raw_gen_syncookie_ipv6", "bpf_tcp_raw_check_syncookie_ipv4", "bpf_tcp_raw_check_syncookie_ipv6",
        "bpf_ktime_get_tai_ns", "bpf_user_ringbuf_drain",
    ];

    private const PointerEffect R = PointerEffect.Reads;
    private const PointerEffect W = PointerEffect.Writes;
    private const PointerEffect X = PointerEffect.Unknown;

    // id -> (map effect, map argument, pointer argument effects). Map and context arguments are X: they are not memory
    // the program owns.
    private static readonly Dictionary<int, (MapEffect Effect, int Map, PointerEffect[] Args)> Effects = new()
    {
        [1] = (MapEffect.Lookup, 0, [X, R]),                 // map_lookup_elem(map, key)
        [2] = (MapEffect.Write, 0, [X, R, R]),               // map_update_elem(map, key, value, flags)
        [3] = (MapEffect.Write, 0, [X, R]),                  // map_delete_elem(map, key)
        [4] = (MapEffect.None, -1, [W, X, R]),               // probe_read(dst, size, src)
        [5] = (MapEffect.None, -1, []),                      // ktime_get_ns
        [6] = (MapEffect.None, -1, [R, X, X, X, X]),         // trace_printk(fmt, size, ...)
        [7] = (MapEffect.None, -1, []),                      // get_prandom_u32
        [8] = (MapEffect.None, -1, []),                      // get_smp_processor_id
        [9] = (MapEffect.None, -1, [X, X, R]),               // skb_store_bytes(skb, off, from, len, flags)
        [10] = (MapEffect.None, -1, []),                     // l3_csum_replace
        [11] = (MapEffect.None, -1, []),                     // l4_csum_replace
        [12] = (MapEffect.TailCall, 1, []),                  // tail_call(ctx, prog_array, index)
        [13] = (MapEffect.None, -1, []),                     // clone_redirect
        [14] = (MapEffect.None, -1, []),                     // get_current_pid_tgid
        [16] = (MapEffect.None, -1, [W]),                    // get_current_comm(buf, size)
        [23] = (MapEffect.None, -1, []),                     // redirect(ifindex, flags)
        [25] = (MapEffect.Write, 1, [X, X, X, R]),           // perf_event_output(ctx, map, flags, data, size)
        [26] = (MapEffect.None, -1, [X, X, W]),              // skb_load_bytes(skb, off, to, len)
        [27] = (MapEffect.Write, 1, []),                     // get_stackid(ctx, map, flags)
        [28] = (MapEffect.None, -1, [R, X, R]),              // csum_diff(from, from_size, to, to_size, seed)
        [44] = (MapEffect.None, -1, []),                     // xdp_adjust_head
        [51] = (MapEffect.Read, 0, []),                      // redirect_map(map, key, flags)
        [54] = (MapEffect.None, -1, []),                     // xdp_adjust_meta
        [65] = (MapEffect.None, -1, []),                     // xdp_adjust_tail
        [69] = (MapEffect.None, -1, [X, W]),                 // fib_lookup(ctx, params, len, flags): params in and out
        [87] = (MapEffect.Write, 0, [X, R]),                 // map_push_elem(map, value, flags)
        [88] = (MapEffect.Write, 0, [X, W]),                 // map_pop_elem(map, value)
        [89] = (MapEffect.Read, 0, [X, W]),                  // map_peek_elem(map, value)
        [93] = (MapEffect.None, -1, [W]),                    // spin_lock(lock): the lock lives in a map value
        [94] = (MapEffect.None, -1, [W]),                    // spin_unlock(lock)
        [112] = (MapEffect.None, -1, [W, X, R]),             // probe_read_user
        [113] = (MapEffect.None, -1, [W, X, R]),             // probe_read_kernel
        [114] = (MapEffect.None, -1, [W, X, R]),             // probe_read_user_str
        [115] = (MapEffect.None, -1, [W, X, R]),             // probe_read_kernel_str
        [125] = (MapEffect.None, -1, []),                    // ktime_get_boot_ns
        [130] = (MapEffect.Write, 0, [X, R]),                // ringbuf_output(ringbuf, data, size, flags)
        [131] = (MapEffect.Write, 0, []),                    // ringbuf_reserve(ringbuf, size, flags)
        [132] = (MapEffect.None, -1, []),                    // ringbuf_submit(data, flags)
        [133] = (MapEffect.None, -1, []),                    // ringbuf_discard(data, flags)
        [160] = (MapEffect.None, -1, []),                    // ktime_get_coarse_ns
        [164] = (MapEffect.Unknown, 0, []),                  // for_each_map_elem(map, callback, ctx, flags)
        [165] = (MapEffect.None, -1, [W, X, R]),             // snprintf(str, size, fmt, data, len)
        [189] = (MapEffect.None, -1, [X, X, W]),             // xdp_load_bytes(ctx, off, buf, len)
        [190] = (MapEffect.None, -1, [X, X, R]),             // xdp_store_bytes(ctx, off, buf, len)
        [195] = (MapEffect.Lookup, 0, [X, R]),               // map_lookup_percpu_elem(map, key, cpu)
        [208] = (MapEffect.None, -1, []),                    // ktime_get_tai_ns
    };

    public const int MapLookupElem = 1;
    public const int MapUpdateElem = 2;
    public const int MapDeleteElem = 3;
    public const int TailCall = 12;

    /// <summary>The helper with this id; ids this kernel's header does not name are reported as <c>helper#N</c>.</summary>
    public static BpfHelper FromId(int id)
    {
        var name = id > 0 && id < Names.Length ? Names[id] : $"helper#{id}";
        return Effects.TryGetValue(id, out var e)
            ? new BpfHelper(id, name, e.Effect, e.Map, e.Args, IsModelled: true)
            : new BpfHelper(id, name, MapEffect.Unknown, -1, [], IsModelled: false);
    }

    public static BpfHelper? FromName(string name)
    {
        var id = Array.IndexOf(Names, name);
        return id > 0 ? FromId(id) : null;
    }

    public static bool IsKnownId(int id) => id > 0 && id < Names.Length;
}
