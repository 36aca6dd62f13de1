; ModuleID = 'hot_key_table.c'
source_filename = "hot_key_table.c"
target datalayout = "e-m:e-p:64:64-i64:64-i128:128-n32:64-S128"
target triple = "bpf"

%struct.anon.1 = type { [1 x i32]*, [65536 x i32]*, i32*, i32* }
%struct.xdp_md = type { i32, i32, i32, i32, i32, i32 }
%struct.ethhdr = type { [6 x i8], [6 x i8], i16 }

@LICENSE = dso_local global [4 x i8] c"GPL\00", section "license", align 1, !dbg !0
@hosts = dso_local global %struct.anon.1 zeroinitializer, section ".maps", align 8, !dbg !21
@llvm.compiler.used = appending global [3 x i8*] [i8* getelementptr inbounds ([4 x i8], [4 x i8]* @LICENSE, i32 0, i32 0), i8* bitcast (%struct.anon.1* @hosts to i8*), i8* bitcast (i32 (%struct.xdp_md*)* @hot_key_table to i8*)], section "llvm.metadata"

; Function Attrs: nounwind
define dso_local i32 @hot_key_table(%struct.xdp_md* nocapture noundef readonly %0) #0 section "xdp" !dbg !57 {
  %2 = alloca i32, align 4
  call void @llvm.dbg.value(metadata %struct.xdp_md* %0, metadata !70, metadata !DIExpression()), !dbg !119
  %3 = getelementptr inbounds %struct.xdp_md, %struct.xdp_md* %0, i64 0, i32 0, !dbg !120
  %4 = load i32, i32* %3, align 4, !dbg !120, !tbaa !121
  %5 = zext i32 %4 to i64, !dbg !126
  call void @llvm.dbg.value(metadata i64 %5, metadata !71, metadata !DIExpression()), !dbg !119
  %6 = getelementptr inbounds %struct.xdp_md, %struct.xdp_md* %0, i64 0, i32 1, !dbg !127
  %7 = load i32, i32* %6, align 4, !dbg !127, !tbaa !128
  %8 = zext i32 %7 to i64, !dbg !129
  %9 = inttoptr i64 %8 to i8*, !dbg !130
  call void @llvm.dbg.value(metadata i8* %9, metadata !72, metadata !DIExpression()), !dbg !119
  %10 = inttoptr i64 %5 to %struct.ethhdr*, !dbg !131
  call void @llvm.dbg.value(metadata %struct.ethhdr* %10, metadata !73, metadata !DIExpression()), !dbg !119
  call void @llvm.dbg.value(metadata %struct.ethhdr* %10, metadata !87, metadata !DIExpression(DW_OP_plus_uconst, 14, DW_OP_stack_value)), !dbg !119
  %11 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %10, i64 1, i32 0, i64 20, !dbg !132
  %12 = icmp ugt i8* %11, %9, !dbg !134
  br i1 %12, label %29, label %13, !dbg !135

13:                                               ; preds = %1
  %14 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %10, i64 0, i32 2, !dbg !136
  %15 = load i16, i16* %14, align 1, !dbg !136, !tbaa !137
  %16 = icmp eq i16 %15, 8, !dbg !140
  br i1 %16, label %17, label %29, !dbg !141

17:                                               ; preds = %13
  %18 = bitcast i32* %2 to i8*, !dbg !142
  call void @llvm.lifetime.start.p0i8(i64 4, i8* nonnull %18) #3, !dbg !142
  %19 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %10, i64 1, i32 0, i64 12, !dbg !143
  %20 = bitcast i8* %19 to i32*, !dbg !143
  %21 = load i32, i32* %20, align 4, !dbg !143, !tbaa !144
  call void @llvm.dbg.value(metadata i32 %21, metadata !117, metadata !DIExpression()), !dbg !119
  store i32 %21, i32* %2, align 4, !dbg !145, !tbaa !146
  call void @llvm.dbg.value(metadata i32* %2, metadata !117, metadata !DIExpression(DW_OP_deref)), !dbg !119
  %22 = call i8* inttoptr (i64 1 to i8* (i8*, i8*)*)(i8* noundef bitcast (%struct.anon.1* @hosts to i8*), i8* noundef nonnull %18) #3, !dbg !147
  call void @llvm.dbg.value(metadata i8* %22, metadata !118, metadata !DIExpression()), !dbg !119
  %23 = icmp eq i8* %22, null, !dbg !148
  br i1 %23, label %27, label %24, !dbg !150

24:                                               ; preds = %17
  %25 = bitcast i8* %22 to i32*, !dbg !147
  call void @llvm.dbg.value(metadata i32* %25, metadata !118, metadata !DIExpression()), !dbg !119
  %26 = load i32, i32* %25, align 4, !dbg !151, !tbaa !146
  br label %27, !dbg !152

27:                                               ; preds = %17, %24
  %28 = phi i32 [ %26, %24 ], [ 2, %17 ], !dbg !119
  call void @llvm.lifetime.end.p0i8(i64 4, i8* nonnull %18) #3, !dbg !153
  br label %29

29:                                               ; preds = %1, %13, %27
  %30 = phi i32 [ %28, %27 ], [ 2, %13 ], [ 2, %1 ], !dbg !119
  ret i32 %30, !dbg !153
}

; Function Attrs: argmemonly mustprogress nofree nosync nounwind willreturn
declare void @llvm.lifetime.start.p0i8(i64 immarg, i8* nocapture) #1

; Function Attrs: argmemonly mustprogress nofree nosync nounwind willreturn
declare void @llvm.lifetime.end.p0i8(i64 immarg, i8* nocapture) #1

; Function Attrs: nofree nosync nounwind readnone speculatable willreturn
declare void @llvm.dbg.value(metadata, metadata, metadata) #2

attributes #0 = { nounwind "frame-pointer"="all" "min-legal-vector-width"="0" "no-trapping-math"="true" "stack-protector-buffer-size"="8" }
attributes #1 = { argmemonly mustprogress nofree nosync nounwind willreturn }
attributes #2 = { nofree nosync nounwind readnone speculatable willreturn }
attributes #3 = { nounwind }

!llvm.dbg.cu = !{!2}
!llvm.module.flags = !{!52, !53, !54, !55}
!llvm.ident = !{!56}

!0 = !DIGlobalVariableExpression(var: !1, expr: !DIExpression())
!1 = distinct !DIGlobalVariable(name: "LICENSE", scope: !2, file: !3, line: 8, type: !48, isLocal: false, isDefinition: true)
!2 = distinct !DICompileUnit(language: DW_LANG_C99, file: !3, producer: "Debian clang version 14.0.6", isOptimized: true, runtimeVersion: 0, emissionKind: FullDebug, enums: !4, retainedTypes: !14, globals: !20, splitDebugInlining: false, nameTableKind: None)
!3 = !DIFile(filename: "hot_key_table.c", directory: ".", checksumkind: CSK_MD5, checksum: "9873a017c6e349241e1d03208cbd736a")
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
!20 = !{!0, !21, !40}
!21 = !DIGlobalVariableExpression(var: !22, expr: !DIExpression())
!22 = distinct !DIGlobalVariable(name: "hosts", scope: !2, file: !3, line: 10, type: !23, isLocal: false, isDefinition: true)
!23 = distinct !DICompositeType(tag: DW_TAG_structure_type, file: !3, line: 10, size: 256, elements: !24)
!24 = !{!25, !31, !36, !39}
!25 = !DIDerivedType(tag: DW_TAG_member, name: "type", scope: !23, file: !3, line: 10, baseType: !26, size: 64)
!26 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !27, size: 64)
!27 = !DICompositeType(tag: DW_TAG_array_type, baseType: !28, size: 32, elements: !29)
!28 = !DIBasicType(name: "int", size: 32, encoding: DW_ATE_signed)
!29 = !{!30}
!30 = !DISubrange(count: 1)
!31 = !DIDerivedType(tag: DW_TAG_member, name: "max_entries", scope: !23, file: !3, line: 10, baseType: !32, size: 64, offset: 64)
!32 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !33, size: 64)
!33 = !DICompositeType(tag: DW_TAG_array_type, baseType: !28, size: 2097152, elements: !34)
!34 = !{!35}
!35 = !DISubrange(count: 65536)
!36 = !DIDerivedType(tag: DW_TAG_member, name: "key", scope: !23, file: !3, line: 10, baseType: !37, size: 64, offset: 128)
!37 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !38, size: 64)
!38 = !DIDerivedType(tag: DW_TAG_typedef, name: "__u32", file: !18, line: 27, baseType: !7)
!39 = !DIDerivedType(tag: DW_TAG_member, name: "value", scope: !23, file: !3, line: 10, baseType: !37, size: 64, offset: 192)
!40 = !DIGlobalVariableExpression(var: !41, expr: !DIExpression())
!41 = distinct !DIGlobalVariable(name: "bpf_map_lookup_elem", scope: !2, file: !42, line: 56, type: !43, isLocal: true, isDefinition: true)
!42 = !DIFile(filename: "/usr/include/bpf/bpf_helper_defs.h", directory: "", checksumkind: CSK_MD5, checksum: "ba0039f6acc4710a5f4349e628ddfb60")
!43 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !44, size: 64)
!44 = !DISubroutineType(types: !45)
!45 = !{!15, !15, !46}
!46 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !47, size: 64)
!47 = !DIDerivedType(tag: DW_TAG_const_type, baseType: null)
!48 = !DICompositeType(tag: DW_TAG_array_type, baseType: !49, size: 32, elements: !50)
!49 = !DIBasicType(name: "char", size: 8, encoding: DW_ATE_signed_char)
!50 = !{!51}
!51 = !DISubrange(count: 4)
!52 = !{i32 7, !"Dwarf Version", i32 5}
!53 = !{i32 2, !"Debug Info Version", i32 3}
!54 = !{i32 1, !"wchar_size", i32 4}
!55 = !{i32 7, !"frame-pointer", i32 2}
!56 = !{!"Debian clang version 14.0.6"}
!57 = distinct !DISubprogram(name: "hot_key_table", scope: !3, file: !3, line: 13, type: !58, scopeLine: 14, flags: DIFlagPrototyped | DIFlagAllCallsDescribed, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !2, retainedNodes: !69)
!58 = !DISubroutineType(types: !59)
!59 = !{!28, !60}
!60 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !61, size: 64)
!61 = distinct !DICompositeType(tag: DW_TAG_structure_type, name: "xdp_md", file: !6, line: 6100, size: 192, elements: !62)
!62 = !{!63, !64, !65, !66, !67, !68}
!63 = !DIDerivedType(tag: DW_TAG_member, name: "data", scope: !61, file: !6, line: 6101, baseType: !38, size: 32)
!64 = !DIDerivedType(tag: DW_TAG_member, name: "data_end", scope: !61, file: !6, line: 6102, baseType: !38, size: 32, offset: 32)
!65 = !DIDerivedType(tag: DW_TAG_member, name: "data_meta", scope: !61, file: !6, line: 6103, baseType: !38, size: 32, offset: 64)
!66 = !DIDerivedType(tag: DW_TAG_member, name: "ingress_ifindex", scope: !61, file: !6, line: 6105, baseType: !38, size: 32, offset: 96)
!67 = !DIDerivedType(tag: DW_TAG_member, name: "rx_queue_index", scope: !61, file: !6, line: 6106, baseType: !38, size: 32, offset: 128)
!68 = !DIDerivedType(tag: DW_TAG_member, name: "egress_ifindex", scope: !61, file: !6, line: 6108, baseType: !38, size: 32, offset: 160)
!69 = !{!70, !71, !72, !73, !87, !117, !118}
!70 = !DILocalVariable(name: "ctx", arg: 1, scope: !57, file: !3, line: 13, type: !60)
!71 = !DILocalVariable(name: "data", scope: !57, file: !3, line: 15, type: !15)
!72 = !DILocalVariable(name: "end", scope: !57, file: !3, line: 15, type: !15)
!73 = !DILocalVariable(name: "eth", scope: !57, file: !3, line: 16, type: !74)
!74 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !75, size: 64)
!75 = distinct !DICompositeType(tag: DW_TAG_structure_type, name: "ethhdr", file: !76, line: 173, size: 112, elements: !77)
!76 = !DIFile(filename: "/usr/include/linux/if_ether.h", directory: "", checksumkind: CSK_MD5, checksum: "163f54fb1af2e21fea410f14eb18fa76")
!77 = !{!78, !83, !84}
!78 = !DIDerivedType(tag: DW_TAG_member, name: "h_dest", scope: !75, file: !76, line: 174, baseType: !79, size: 48)
!79 = !DICompositeType(tag: DW_TAG_array_type, baseType: !80, size: 48, elements: !81)
!80 = !DIBasicType(name: "unsigned char", size: 8, encoding: DW_ATE_unsigned_char)
!81 = !{!82}
!82 = !DISubrange(count: 6)
!83 = !DIDerivedType(tag: DW_TAG_member, name: "h_source", scope: !75, file: !76, line: 175, baseType: !79, size: 48, offset: 48)
!84 = !DIDerivedType(tag: DW_TAG_member, name: "h_proto", scope: !75, file: !76, line: 176, baseType: !85, size: 16, offset: 96)
!85 = !DIDerivedType(tag: DW_TAG_typedef, name: "__be16", file: !86, line: 28, baseType: !17)
!86 = !DIFile(filename: "/usr/include/linux/types.h", directory: "", checksumkind: CSK_MD5, checksum: "a82ae197a4533c0fa7d08f3ccc99ef94")
!87 = !DILocalVariable(name: "ip", scope: !57, file: !3, line: 17, type: !88)
!88 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !89, size: 64)
!89 = distinct !DICompositeType(tag: DW_TAG_structure_type, name: "iphdr", file: !90, line: 87, size: 160, elements: !91)
!90 = !DIFile(filename: "/usr/include/linux/ip.h", directory: "", checksumkind: CSK_MD5, checksum: "149778ace30a1ff208adc8783fd04b29")
!91 = !{!92, !94, !95, !96, !97, !98, !99, !100, !101, !103}
!92 = !DIDerivedType(tag: DW_TAG_member, name: "ihl", scope: !89, file: !90, line: 89, baseType: !93, size: 4, flags: DIFlagBitField, extraData: i64 0)
!93 = !DIDerivedType(tag: DW_TAG_typedef, name: "__u8", file: !18, line: 21, baseType: !80)
!94 = !DIDerivedType(tag: DW_TAG_member, name: "version", scope: !89, file: !90, line: 90, baseType: !93, size: 4, offset: 4, flags: DIFlagBitField, extraData: i64 0)
!95 = !DIDerivedType(tag: DW_TAG_member, name: "tos", scope: !89, file: !90, line: 97, baseType: !93, size: 8, offset: 8)
!96 = !DIDerivedType(tag: DW_TAG_member, name: "tot_len", scope: !89, file: !90, line: 98, baseType: !85, size: 16, offset: 16)
!97 = !DIDerivedType(tag: DW_TAG_member, name: "id", scope: !89, file: !90, line: 99, baseType: !85, size: 16, offset: 32)
!98 = !DIDerivedType(tag: DW_TAG_member, name: "frag_off", scope: !89, file: !90, line: 100, baseType: !85, size: 16, offset: 48)
!99 = !DIDerivedType(tag: DW_TAG_member, name: "ttl", scope: !89, file: !90, line: 101, baseType: !93, size: 8, offset: 64)
!100 = !DIDerivedType(tag: DW_TAG_member, name: "protocol", scope: !89, file: !90, line: 102, baseType: !93, size: 8, offset: 72)
!101 = !DIDerivedType(tag: DW_TAG_member, name: "check", scope: !89, file: !90, line: 103, baseType: !102, size: 16, offset: 80)
!102 = !DIDerivedType(tag: DW_TAG_typedef, name: "__sum16", file: !86, line: 34, baseType: !17)
!103 = !DIDerivedType(tag: DW_TAG_member, scope: !89, file: !90, line: 104, baseType: !104, size: 64, offset: 96)
!104 = distinct !DICompositeType(tag: DW_TAG_union_type, scope: !89, file: !90, line: 104, size: 64, elements: !105)
!105 = !{!106, !112}
!106 = !DIDerivedType(tag: DW_TAG_member, scope: !104, file: !90, line: 104, baseType: !107, size: 64)
!107 = distinct !DICompositeType(tag: DW_TAG_structure_type, scope: !104, file: !90, line: 104, size: 64, elements: !108)
!108 = !{!109, !111}
!109 = !DIDerivedType(tag: DW_TAG_member, name: "saddr", scope: !107, file: !90, line: 104, baseType: !110, size: 32)
!110 = !DIDerivedType(tag: DW_TAG_typedef, name: "__be32", file: !86, line: 30, baseType: !38)
!111 = !DIDerivedType(tag: DW_TAG_member, name: "daddr", scope: !107, file: !90, line: 104, baseType: !110, size: 32, offset: 32)
!112 = !DIDerivedType(tag: DW_TAG_member, name: "addrs", scope: !104, file: !90, line: 104, baseType: !113, size: 64)
!113 = distinct !DICompositeType(tag: DW_TAG_structure_type, scope: !104, file: !90, line: 104, size: 64, elements: !114)
!114 = !{!115, !116}
!115 = !DIDerivedType(tag: DW_TAG_member, name: "saddr", scope: !113, file: !90, line: 104, baseType: !110, size: 32)
!116 = !DIDerivedType(tag: DW_TAG_member, name: "daddr", scope: !113, file: !90, line: 104, baseType: !110, size: 32, offset: 32)
!117 = !DILocalVariable(name: "key", scope: !57, file: !3, line: 20, type: !38)
!118 = !DILocalVariable(name: "verdict", scope: !57, file: !3, line: 21, type: !37)
!119 = !DILocation(line: 0, scope: !57)
!120 = !DILocation(line: 15, column: 34, scope: !57)
!121 = !{!122, !123, i64 0}
!122 = !{!"xdp_md", !123, i64 0, !123, i64 4, !123, i64 8, !123, i64 12, !123, i64 16, !123, i64 20}
!123 = !{!"int", !124, i64 0}
!124 = !{!"omnipotent char", !125, i64 0}
!125 = !{!"Simple C/C++ TBAA"}
!126 = !DILocation(line: 15, column: 23, scope: !57)
!127 = !DILocation(line: 15, column: 66, scope: !57)
!128 = !{!122, !123, i64 4}
!129 = !DILocation(line: 15, column: 55, scope: !57)
!130 = !DILocation(line: 15, column: 47, scope: !57)
!131 = !DILocation(line: 16, column: 23, scope: !57)
!132 = !DILocation(line: 18, column: 18, scope: !133)
!133 = distinct !DILexicalBlock(scope: !57, file: !3, line: 18, column: 6)
!134 = !DILocation(line: 18, column: 23, scope: !133)
!135 = !DILocation(line: 18, column: 29, scope: !133)
!136 = !DILocation(line: 18, column: 37, scope: !133)
!137 = !{!138, !139, i64 12}
!138 = !{!"ethhdr", !124, i64 0, !124, i64 6, !139, i64 12}
!139 = !{!"short", !124, i64 0}
!140 = !DILocation(line: 18, column: 45, scope: !133)
!141 = !DILocation(line: 18, column: 6, scope: !57)
!142 = !DILocation(line: 20, column: 2, scope: !57)
!143 = !DILocation(line: 20, column: 18, scope: !57)
!144 = !{!124, !124, i64 0}
!145 = !DILocation(line: 20, column: 8, scope: !57)
!146 = !{!123, !123, i64 0}
!147 = !DILocation(line: 21, column: 19, scope: !57)
!148 = !DILocation(line: 22, column: 7, scope: !149)
!149 = distinct !DILexicalBlock(scope: !57, file: !3, line: 22, column: 6)
!150 = !DILocation(line: 22, column: 6, scope: !57)
!151 = !DILocation(line: 24, column: 9, scope: !57)
!152 = !DILocation(line: 24, column: 2, scope: !57)
!153 = !DILocation(line: 25, column: 1, scope: !57)
