; ModuleID = 'lpm_blocklist.c'
source_filename = "lpm_blocklist.c"
target datalayout = "e-m:e-p:64:64-i64:64-i128:128-n32:64-S128"
target triple = "bpf"

%struct.anon.1 = type { [11 x i32]*, [1024 x i32]*, [1 x i32]*, %struct.lpm_key*, i32* }
%struct.lpm_key = type { i32, i32 }
%struct.xdp_md = type { i32, i32, i32, i32, i32, i32 }
%struct.ethhdr = type { [6 x i8], [6 x i8], i16 }

@LICENSE = dso_local global [4 x i8] c"GPL\00", section "license", align 1, !dbg !0
@blocklist = dso_local global %struct.anon.1 zeroinitializer, section ".maps", align 8, !dbg !21
@llvm.compiler.used = appending global [3 x i8*] [i8* getelementptr inbounds ([4 x i8], [4 x i8]* @LICENSE, i32 0, i32 0), i8* bitcast (%struct.anon.1* @blocklist to i8*), i8* bitcast (i32 (%struct.xdp_md*)* @lpm_blocklist to i8*)], section "llvm.metadata"

; Function Attrs: nounwind
define dso_local i32 @lpm_blocklist(%struct.xdp_md* nocapture noundef readonly %0) #0 section "xdp" !dbg !67 {
  %2 = alloca %struct.lpm_key, align 4
  call void @llvm.dbg.value(metadata %struct.xdp_md* %0, metadata !80, metadata !DIExpression()), !dbg !129
  %3 = getelementptr inbounds %struct.xdp_md, %struct.xdp_md* %0, i64 0, i32 0, !dbg !130
  %4 = load i32, i32* %3, align 4, !dbg !130, !tbaa !131
  %5 = zext i32 %4 to i64, !dbg !136
  call void @llvm.dbg.value(metadata i64 %5, metadata !81, metadata !DIExpression()), !dbg !129
  %6 = getelementptr inbounds %struct.xdp_md, %struct.xdp_md* %0, i64 0, i32 1, !dbg !137
  %7 = load i32, i32* %6, align 4, !dbg !137, !tbaa !138
  %8 = zext i32 %7 to i64, !dbg !139
  %9 = inttoptr i64 %8 to i8*, !dbg !140
  call void @llvm.dbg.value(metadata i8* %9, metadata !82, metadata !DIExpression()), !dbg !129
  %10 = inttoptr i64 %5 to %struct.ethhdr*, !dbg !141
  call void @llvm.dbg.value(metadata %struct.ethhdr* %10, metadata !83, metadata !DIExpression()), !dbg !129
  call void @llvm.dbg.value(metadata %struct.ethhdr* %10, metadata !97, metadata !DIExpression(DW_OP_plus_uconst, 14, DW_OP_stack_value)), !dbg !129
  %11 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %10, i64 1, i32 0, i64 20, !dbg !142
  %12 = icmp ugt i8* %11, %9, !dbg !144
  br i1 %12, label %33, label %13, !dbg !145

13:                                               ; preds = %1
  %14 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %10, i64 0, i32 2, !dbg !146
  %15 = load i16, i16* %14, align 1, !dbg !146, !tbaa !147
  %16 = icmp eq i16 %15, 8, !dbg !150
  br i1 %16, label %17, label %33, !dbg !151

17:                                               ; preds = %13
  %18 = bitcast %struct.lpm_key* %2 to i8*, !dbg !152
  call void @llvm.lifetime.start.p0i8(i64 8, i8* nonnull %18) #4, !dbg !152
  call void @llvm.dbg.declare(metadata %struct.lpm_key* %2, metadata !127, metadata !DIExpression()), !dbg !153
  %19 = getelementptr inbounds %struct.lpm_key, %struct.lpm_key* %2, i64 0, i32 0, !dbg !154
  store i32 32, i32* %19, align 4, !dbg !154, !tbaa !155
  %20 = getelementptr inbounds %struct.lpm_key, %struct.lpm_key* %2, i64 0, i32 1, !dbg !154
  %21 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %10, i64 1, i32 0, i64 12, !dbg !157
  %22 = bitcast i8* %21 to i32*, !dbg !157
  %23 = load i32, i32* %22, align 4, !dbg !157, !tbaa !158
  store i32 %23, i32* %20, align 4, !dbg !154, !tbaa !159
  %24 = call i8* inttoptr (i64 1 to i8* (i8*, i8*)*)(i8* noundef bitcast (%struct.anon.1* @blocklist to i8*), i8* noundef nonnull %18) #4, !dbg !160
  call void @llvm.dbg.value(metadata i8* %24, metadata !128, metadata !DIExpression()), !dbg !129
  %25 = icmp eq i8* %24, null, !dbg !161
  br i1 %25, label %31, label %26, !dbg !163

26:                                               ; preds = %17
  %27 = bitcast i8* %24 to i32*, !dbg !160
  call void @llvm.dbg.value(metadata i32* %27, metadata !128, metadata !DIExpression()), !dbg !129
  %28 = load i32, i32* %27, align 4, !dbg !164, !tbaa !165
  %29 = icmp eq i32 %28, 2, !dbg !166
  %30 = select i1 %29, i32 3, i32 1, !dbg !164
  br label %31, !dbg !167

31:                                               ; preds = %17, %26
  %32 = phi i32 [ %30, %26 ], [ 2, %17 ], !dbg !129
  call void @llvm.lifetime.end.p0i8(i64 8, i8* nonnull %18) #4, !dbg !168
  br label %33

33:                                               ; preds = %1, %13, %31
  %34 = phi i32 [ %32, %31 ], [ 2, %13 ], [ 2, %1 ], !dbg !129
  ret i32 %34, !dbg !168
}

; Function Attrs: mustprogress nofree nosync nounwind readnone speculatable willreturn
declare void @llvm.dbg.declare(metadata, metadata, metadata) #1

; Function Attrs: argmemonly mustprogress nofree nosync nounwind willreturn
declare void @llvm.lifetime.start.p0i8(i64 immarg, i8* nocapture) #2

; Function Attrs: argmemonly mustprogress nofree nosync nounwind willreturn
declare void @llvm.lifetime.end.p0i8(i64 immarg, i8* nocapture) #2

; Function Attrs: nofree nosync nounwind readnone speculatable willreturn
declare void @llvm.dbg.value(metadata, metadata, metadata) #3

attributes #0 = { nounwind "frame-pointer"="all" "min-legal-vector-width"="0" "no-trapping-math"="true" "stack-protector-buffer-size"="8" }
attributes #1 = { mustprogress nofree nosync nounwind readnone speculatable willreturn }
attributes #2 = { argmemonly mustprogress nofree nosync nounwind willreturn }
attributes #3 = { nofree nosync nounwind readnone speculatable willreturn }
attributes #4 = { nounwind }

!llvm.dbg.cu = !{!2}
!llvm.module.flags = !{!62, !63, !64, !65}
!llvm.ident = !{!66}

!0 = !DIGlobalVariableExpression(var: !1, expr: !DIExpression())
!1 = distinct !DIGlobalVariable(name: "LICENSE", scope: !2, file: !3, line: 8, type: !58, isLocal: false, isDefinition: true)
!2 = distinct !DICompileUnit(language: DW_LANG_C99, file: !3, producer: "Debian clang version 14.0.6", isOptimized: true, runtimeVersion: 0, emissionKind: FullDebug, enums: !4, retainedTypes: !14, globals: !20, splitDebugInlining: false, nameTableKind: None)
!3 = !DIFile(filename: "lpm_blocklist.c", directory: ".", checksumkind: CSK_MD5, checksum: "d1d3ab75ae10ed847e15b151211e87ef")
!4 = !{!5}
!5 = !DICompositeType(tag: DW_TAG_enumeration_type, name: "xdp_action", file: !6, line: 6089, baseType: !7, size: 32, elements: !8)
!6 = !DIFile(filename: "/usr/include/linux/bpf.h", directory: "", checksumkind: CSK_MD5, checksum: "8ab7bf195d20e2851bf1a9e5b71245ca")
!7 = !DIBasicType(name: "unsigned int", size: 32, encoding: DW_ATE_unsigned)
!8 = !{!9, !10, !11, !12, !13}
!9 = !DIEnumerator(name: "XDP_ABORTED", value: 0)
!10 = !DIEnumerator(name: "XDP_DROP", value: 1)
!11 = !DIEnumerator(name: "XDP_PASS", value: 2)
!12 = !DIEnumerator(name: "XDP_TX", value: 3)
!13 = !DIEnumerator(name: "XDP_REDIRECT", value: 4)
!14 = !{!15, !16, !17}
!15 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: null, size: 64)
!16 = !DIBasicType(name: "long", size: 64, encoding: DW_ATE_signed)
!17 = !DIDerivedType(tag: DW_TAG_typedef, name: "__u16", file: !18, line: 24, baseType: !19)
!18 = !DIFile(filename: "/usr/include/asm-generic/int-ll64.h", directory: "", checksumkind: CSK_MD5, checksum: "b810f270733e106319b67ef512c6246e")
!19 = !DIBasicType(name: "unsigned short", size: 16, encoding: DW_ATE_unsigned)
!20 = !{!0, !21, !50}
!21 = !DIGlobalVariableExpression(var: !22, expr: !DIExpression())
!22 = distinct !DIGlobalVariable(name: "blocklist", scope: !2, file: !3, line: 16, type: !23, isLocal: false, isDefinition: true)
!23 = distinct !DICompositeType(tag: DW_TAG_structure_type, file: !3, line: 15, size: 320, elements: !24)
!24 = !{!25, !31, !36, !41, !48}
!25 = !DIDerivedType(tag: DW_TAG_member, name: "type", scope: !23, file: !3, line: 15, baseType: !26, size: 64)
!26 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !27, size: 64)
!27 = !DICompositeType(tag: DW_TAG_array_type, baseType: !28, size: 352, elements: !29)
!28 = !DIBasicType(name: "int", size: 32, encoding: DW_ATE_signed)
!29 = !{!30}
!30 = !DISubrange(count: 11)
!31 = !DIDerivedType(tag: DW_TAG_member, name: "max_entries", scope: !23, file: !3, line: 15, baseType: !32, size: 64, offset: 64)
!32 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !33, size: 64)
!33 = !DICompositeType(tag: DW_TAG_array_type, baseType: !28, size: 32768, elements: !34)
!34 = !{!35}
!35 = !DISubrange(count: 1024)
!36 = !DIDerivedType(tag: DW_TAG_member, name: "map_flags", scope: !23, file: !3, line: 15, baseType: !37, size: 64, offset: 128)
!37 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !38, size: 64)
!38 = !DICompositeType(tag: DW_TAG_array_type, baseType: !28, size: 32, elements: !39)
!39 = !{!40}
!40 = !DISubrange(count: 1)
!41 = !DIDerivedType(tag: DW_TAG_member, name: "key", scope: !23, file: !3, line: 16, baseType: !42, size: 64, offset: 192)
!42 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !43, size: 64)
!43 = distinct !DICompositeType(tag: DW_TAG_structure_type, name: "lpm_key", file: !3, line: 10, size: 64, elements: !44)
!44 = !{!45, !47}
!45 = !DIDerivedType(tag: DW_TAG_member, name: "prefixlen", scope: !43, file: !3, line: 11, baseType: !46, size: 32)
!46 = !DIDerivedType(tag: DW_TAG_typedef, name: "__u32", file: !18, line: 27, baseType: !7)
!47 = !DIDerivedType(tag: DW_TAG_member, name: "addr", scope: !43, file: !3, line: 12, baseType: !46, size: 32, offset: 32)
!48 = !DIDerivedType(tag: DW_TAG_member, name: "value", scope: !23, file: !3, line: 16, baseType: !49, size: 64, offset: 256)
!49 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !46, size: 64)
!50 = !DIGlobalVariableExpression(var: !51, expr: !DIExpression())
!51 = distinct !DIGlobalVariable(name: "bpf_map_lookup_elem", scope: !2, file: !52, line: 56, type: !53, isLocal: true, isDefinition: true)
!52 = !DIFile(filename: "/usr/include/bpf/bpf_helper_defs.h", directory: "", checksumkind: CSK_MD5, checksum: "ba0039f6acc4710a5f4349e628ddfb60")
!53 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !54, size: 64)
!54 = !DISubroutineType(types: !55)
!55 = !{!15, !15, !56}
!56 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !57, size: 64)
!57 = !DIDerivedType(tag: DW_TAG_const_type, baseType: null)
!58 = !DICompositeType(tag: DW_TAG_array_type, baseType: !59, size: 32, elements: !60)
!59 = !DIBasicType(name: "char", size: 8, encoding: DW_ATE_signed_char)
!60 = !{!61}
!61 = !DISubrange(count: 4)
!62 = !{i32 7, !"Dwarf Version", i32 5}
!63 = !{i32 2, !"Debug Info Version", i32 3}
!64 = !{i32 1, !"wchar_size", i32 4}
!65 = !{i32 7, !"frame-pointer", i32 2}
!66 = !{!"Debian clang version 14.0.6"}
!67 = distinct !DISubprogram(name: "lpm_blocklist", scope: !3, file: !3, line: 19, type: !68, scopeLine: 20, flags: DIFlagPrototyped | DIFlagAllCallsDescribed, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !2, retainedNodes: !79)
!68 = !DISubroutineType(types: !69)
!69 = !{!28, !70}
!70 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !71, size: 64)
!71 = distinct !DICompositeType(tag: DW_TAG_structure_type, name: "xdp_md", file: !6, line: 6100, size: 192, elements: !72)
!72 = !{!73, !74, !75, !76, !77, !78}
!73 = !DIDerivedType(tag: DW_TAG_member, name: "data", scope: !71, file: !6, line: 6101, baseType: !46, size: 32)
!74 = !DIDerivedType(tag: DW_TAG_member, name: "data_end", scope: !71, file: !6, line: 6102, baseType: !46, size: 32, offset: 32)
!75 = !DIDerivedType(tag: DW_TAG_member, name: "data_meta", scope: !71, file: !6, line: 6103, baseType: !46, size: 32, offset: 64)
!76 = !DIDerivedType(tag: DW_TAG_member, name: "ingress_ifindex", scope: !71, file: !6, line: 6105, baseType: !46, size: 32, offset: 96)
!77 = !DIDerivedType(tag: DW_TAG_member, name: "rx_queue_index", scope: !71, file: !6, line: 6106, baseType: !46, size: 32, offset: 128)
!78 = !DIDerivedType(tag: DW_TAG_member, name: "egress_ifindex", scope: !71, file: !6, line: 6108, baseType: !46, size: 32, offset: 160)
!79 = !{!80, !81, !82, !83, !97, !127, !128}
!80 = !DILocalVariable(name: "ctx", arg: 1, scope: !67, file: !3, line: 19, type: !70)
!81 = !DILocalVariable(name: "data", scope: !67, file: !3, line: 21, type: !15)
!82 = !DILocalVariable(name: "end", scope: !67, file: !3, line: 21, type: !15)
!83 = !DILocalVariable(name: "eth", scope: !67, file: !3, line: 22, type: !84)
!84 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !85, size: 64)
!85 = distinct !DICompositeType(tag: DW_TAG_structure_type, name: "ethhdr", file: !86, line: 173, size: 112, elements: !87)
!86 = !DIFile(filename: "/usr/include/linux/if_ether.h", directory: "", checksumkind: CSK_MD5, checksum: "163f54fb1af2e21fea410f14eb18fa76")
!87 = !{!88, !93, !94}
!88 = !DIDerivedType(tag: DW_TAG_member, name: "h_dest", scope: !85, file: !86, line: 174, baseType: !89, size: 48)
!89 = !DICompositeType(tag: DW_TAG_array_type, baseType: !90, size: 48, elements: !91)
!90 = !DIBasicType(name: "unsigned char", size: 8, encoding: DW_ATE_unsigned_char)
!91 = !{!92}
!92 = !DISubrange(count: 6)
!93 = !DIDerivedType(tag: DW_TAG_member, name: "h_source", scope: !85, file: !86, line: 175, baseType: !89, size: 48, offset: 48)
!94 = !DIDerivedType(tag: DW_TAG_member, name: "h_proto", scope: !85, file: !86, line: 176, baseType: !95, size: 16, offset: 96)
!95 = !DIDerivedType(tag: DW_TAG_typedef, name: "__be16", file: !96, line: 28, baseType: !17)
!96 = !DIFile(filename: "/usr/include/linux/types.h", directory: "", checksumkind: CSK_MD5, checksum: "a82ae197a4533c0fa7d08f3ccc99ef94")
!97 = !DILocalVariable(name: "ip", scope: !67, file: !3, line: 23, type: !98)
!98 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !99, size: 64)
!99 = distinct !DICompositeType(tag: DW_TAG_structure_type, name: "iphdr", file: !100, line: 87, size: 160, elements: !101)
!100 = !DIFile(filename: "/usr/include/linux/ip.h", directory: "", checksumkind: CSK_MD5, checksum: "149778ace30a1ff208adc8783fd04b29")
!101 = !{!102, !104, !105, !106, !107, !108, !109, !110, !111, !113}
!102 = !DIDerivedType(tag: DW_TAG_member, name: "ihl", scope: !99, file: !100, line: 89, baseType: !103, size: 4, flags: DIFlagBitField, extraData: i64 0)
!103 = !DIDerivedType(tag: DW_TAG_typedef, name: "__u8", file: !18, line: 21, baseType: !90)
!104 = !DIDerivedType(tag: DW_TAG_member, name: "version", scope: !99, file: !100, line: 90, baseType: !103, size: 4, offset: 4, flags: DIFlagBitField, extraData: i64 0)
!105 = !DIDerivedType(tag: DW_TAG_member, name: "tos", scope: !99, file: !100, line: 97, baseType: !103, size: 8, offset: 8)
!106 = !DIDerivedType(tag: DW_TAG_member, name: "tot_len", scope: !99, file: !100, line: 98, baseType: !95, size: 16, offset: 16)
!107 = !DIDerivedType(tag: DW_TAG_member, name: "id", scope: !99, file: !100, line: 99, baseType: !95, size: 16, offset: 32)
!108 = !DIDerivedType(tag: DW_TAG_member, name: "frag_off", scope: !99, file: !100, line: 100, baseType: !95, size: 16, offset: 48)
!109 = !DIDerivedType(tag: DW_TAG_member, name: "ttl", scope: !99, file: !100, line: 101, baseType: !103, size: 8, offset: 64)
!110 = !DIDerivedType(tag: DW_TAG_member, name: "protocol", scope: !99, file: !100, line: 102, baseType: !103, size: 8, offset: 72)
!111 = !DIDerivedType(tag: DW_TAG_member, name: "check", scope: !99, file: !100, line: 103, baseType: !112, size: 16, offset: 80)
!112 = !DIDerivedType(tag: DW_TAG_typedef, name: "__sum16", file: !96, line: 34, baseType: !17)
!113 = !DIDerivedType(tag: DW_TAG_member, scope: !99, file: !100, line: 104, baseType: !114, size: 64, offset: 96)
!114 = distinct !DICompositeType(tag: DW_TAG_union_type, scope: !99, file: !100, line: 104, size: 64, elements: !115)
!115 = !{!116, !122}
!116 = !DIDerivedType(tag: DW_TAG_member, scope: !114, file: !100, line: 104, baseType: !117, size: 64)
!117 = distinct !DICompositeType(tag: DW_TAG_structure_type, scope: !114, file: !100, line: 104, size: 64, elements: !118)
!118 = !{!119, !121}
!119 = !DIDerivedType(tag: DW_TAG_member, name: "saddr", scope: !117, file: !100, line: 104, baseType: !120, size: 32)
!120 = !DIDerivedType(tag: DW_TAG_typedef, name: "__be32", file: !96, line: 30, baseType: !46)
!121 = !DIDerivedType(tag: DW_TAG_member, name: "daddr", scope: !117, file: !100, line: 104, baseType: !120, size: 32, offset: 32)
!122 = !DIDerivedType(tag: DW_TAG_member, name: "addrs", scope: !114, file: !100, line: 104, baseType: !123, size: 64)
!123 = distinct !DICompositeType(tag: DW_TAG_structure_type, scope: !114, file: !100, line: 104, size: 64, elements: !124)
!124 = !{!125, !126}
!125 = !DIDerivedType(tag: DW_TAG_member, name: "saddr", scope: !123, file: !100, line: 104, baseType: !120, size: 32)
!126 = !DIDerivedType(tag: DW_TAG_member, name: "daddr", scope: !123, file: !100, line: 104, baseType: !120, size: 32, offset: 32)
!127 = !DILocalVariable(name: "key", scope: !67, file: !3, line: 26, type: !43)
!128 = !DILocalVariable(name: "feed", scope: !67, file: !3, line: 27, type: !49)
!129 = !DILocation(line: 0, scope: !67)
!130 = !DILocation(line: 21, column: 34, scope: !67)
!131 = !{!132, !133, i64 0}
!132 = !{!"xdp_md", !133, i64 0, !133, i64 4, !133, i64 8, !133, i64 12, !133, i64 16, !133, i64 20}
!133 = !{!"int", !134, i64 0}
!134 = !{!"omnipotent char", !135, i64 0}
!135 = !{!"Simple C/C++ TBAA"}
!136 = !DILocation(line: 21, column: 23, scope: !67)
!137 = !DILocation(line: 21, column: 66, scope: !67)
!138 = !{!132, !133, i64 4}
!139 = !DILocation(line: 21, column: 55, scope: !67)
!140 = !DILocation(line: 21, column: 47, scope: !67)
!141 = !DILocation(line: 22, column: 23, scope: !67)
!142 = !DILocation(line: 24, column: 18, scope: !143)
!143 = distinct !DILexicalBlock(scope: !67, file: !3, line: 24, column: 6)
!144 = !DILocation(line: 24, column: 23, scope: !143)
!145 = !DILocation(line: 24, column: 29, scope: !143)
!146 = !DILocation(line: 24, column: 37, scope: !143)
!147 = !{!148, !149, i64 12}
!148 = !{!"ethhdr", !134, i64 0, !134, i64 6, !149, i64 12}
!149 = !{!"short", !134, i64 0}
!150 = !DILocation(line: 24, column: 45, scope: !143)
!151 = !DILocation(line: 24, column: 6, scope: !67)
!152 = !DILocation(line: 26, column: 2, scope: !67)
!153 = !DILocation(line: 26, column: 17, scope: !67)
!154 = !DILocation(line: 26, column: 23, scope: !67)
!155 = !{!156, !133, i64 0}
!156 = !{!"lpm_key", !133, i64 0, !133, i64 4}
!157 = !DILocation(line: 26, column: 54, scope: !67)
!158 = !{!134, !134, i64 0}
!159 = !{!156, !133, i64 4}
!160 = !DILocation(line: 27, column: 16, scope: !67)
!161 = !DILocation(line: 28, column: 7, scope: !162)
!162 = distinct !DILexicalBlock(scope: !67, file: !3, line: 28, column: 6)
!163 = !DILocation(line: 28, column: 6, scope: !67)
!164 = !DILocation(line: 30, column: 9, scope: !67)
!165 = !{!133, !133, i64 0}
!166 = !DILocation(line: 30, column: 15, scope: !67)
!167 = !DILocation(line: 30, column: 2, scope: !67)
!168 = !DILocation(line: 31, column: 1, scope: !67)
