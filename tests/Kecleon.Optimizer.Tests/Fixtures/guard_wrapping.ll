; ModuleID = 'guard_wrapping.c'
source_filename = "guard_wrapping.c"
target datalayout = "e-m:e-p:64:64-i64:64-i128:128-n32:64-S128"
target triple = "bpf"

%struct.anon = type { [1 x i32]*, [16 x i32]*, i32*, i32* }
%struct.anon.0 = type { [1 x i32]*, [16 x i32]*, i32*, i32* }
%struct.xdp_md = type { i32, i32, i32, i32, i32, i32 }
%struct.ethhdr = type { [6 x i8], [6 x i8], i16 }

@LICENSE = dso_local global [4 x i8] c"GPL\00", section "license", align 1, !dbg !0
@allowed = dso_local global %struct.anon zeroinitializer, section ".maps", align 8, !dbg !21
@actions = dso_local global %struct.anon.0 zeroinitializer, section ".maps", align 8, !dbg !40
@llvm.compiler.used = appending global [4 x i8*] [i8* getelementptr inbounds ([4 x i8], [4 x i8]* @LICENSE, i32 0, i32 0), i8* bitcast (%struct.anon.0* @actions to i8*), i8* bitcast (%struct.anon* @allowed to i8*), i8* bitcast (i32 (%struct.xdp_md*)* @guard_wrapping to i8*)], section "llvm.metadata"

; Function Attrs: nounwind
define dso_local i32 @guard_wrapping(%struct.xdp_md* nocapture noundef readonly %0) #0 section "xdp" !dbg !65 {
  %2 = alloca i32, align 4
  call void @llvm.dbg.value(metadata %struct.xdp_md* %0, metadata !78, metadata !DIExpression()), !dbg !98
  %3 = getelementptr inbounds %struct.xdp_md, %struct.xdp_md* %0, i64 0, i32 0, !dbg !99
  %4 = load i32, i32* %3, align 4, !dbg !99, !tbaa !100
  %5 = zext i32 %4 to i64, !dbg !105
  call void @llvm.dbg.value(metadata i64 %5, metadata !79, metadata !DIExpression()), !dbg !98
  %6 = getelementptr inbounds %struct.xdp_md, %struct.xdp_md* %0, i64 0, i32 1, !dbg !106
  %7 = load i32, i32* %6, align 4, !dbg !106, !tbaa !107
  %8 = zext i32 %7 to i64, !dbg !108
  %9 = inttoptr i64 %8 to i8*, !dbg !109
  call void @llvm.dbg.value(metadata i8* %9, metadata !80, metadata !DIExpression()), !dbg !98
  %10 = inttoptr i64 %5 to %struct.ethhdr*, !dbg !110
  call void @llvm.dbg.value(metadata %struct.ethhdr* %10, metadata !81, metadata !DIExpression()), !dbg !98
  %11 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %10, i64 1, i32 0, i64 0, !dbg !111
  %12 = icmp ugt i8* %11, %9, !dbg !113
  br i1 %12, label %33, label %13, !dbg !114

13:                                               ; preds = %1
  %14 = bitcast i32* %2 to i8*, !dbg !115
  call void @llvm.lifetime.start.p0i8(i64 4, i8* nonnull %14) #4, !dbg !115
  %15 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %10, i64 0, i32 2, !dbg !116
  %16 = load i16, i16* %15, align 1, !dbg !116, !tbaa !117
  %17 = tail call i16 @llvm.bswap.i16(i16 %16), !dbg !116
  %18 = zext i16 %17 to i32, !dbg !116
  call void @llvm.dbg.value(metadata i32 %18, metadata !95, metadata !DIExpression()), !dbg !98
  store i32 %18, i32* %2, align 4, !dbg !120, !tbaa !121
  call void @llvm.dbg.value(metadata i32* %2, metadata !95, metadata !DIExpression(DW_OP_deref)), !dbg !98
  %19 = call i8* inttoptr (i64 1 to i8* (i8*, i8*)*)(i8* noundef bitcast (%struct.anon* @allowed to i8*), i8* noundef nonnull %14) #4, !dbg !122
  call void @llvm.dbg.value(metadata i8* %19, metadata !96, metadata !DIExpression()), !dbg !98
  %20 = icmp eq i8* %19, null, !dbg !123
  br i1 %20, label %31, label %21, !dbg !125

21:                                               ; preds = %13
  %22 = bitcast i8* %19 to i32*, !dbg !122
  call void @llvm.dbg.value(metadata i32* %22, metadata !96, metadata !DIExpression()), !dbg !98
  %23 = load i32, i32* %22, align 4, !dbg !126, !tbaa !121
  %24 = icmp eq i32 %23, 0, !dbg !126
  br i1 %24, label %31, label %25, !dbg !127

25:                                               ; preds = %21
  call void @llvm.dbg.value(metadata i32* %2, metadata !95, metadata !DIExpression(DW_OP_deref)), !dbg !98
  %26 = call i8* inttoptr (i64 1 to i8* (i8*, i8*)*)(i8* noundef bitcast (%struct.anon.0* @actions to i8*), i8* noundef nonnull %14) #4, !dbg !128
  call void @llvm.dbg.value(metadata i8* %26, metadata !97, metadata !DIExpression()), !dbg !98
  %27 = icmp eq i8* %26, null, !dbg !129
  br i1 %27, label %31, label %28, !dbg !129

28:                                               ; preds = %25
  %29 = bitcast i8* %26 to i32*, !dbg !128
  call void @llvm.dbg.value(metadata i32* %29, metadata !97, metadata !DIExpression()), !dbg !98
  %30 = load i32, i32* %29, align 4, !dbg !130, !tbaa !121
  br label %31, !dbg !129

31:                                               ; preds = %28, %25, %13, %21
  %32 = phi i32 [ 1, %21 ], [ 1, %13 ], [ %30, %28 ], [ 2, %25 ], !dbg !98
  call void @llvm.lifetime.end.p0i8(i64 4, i8* nonnull %14) #4, !dbg !131
  br label %33

33:                                               ; preds = %1, %31
  %34 = phi i32 [ %32, %31 ], [ 1, %1 ], !dbg !98
  ret i32 %34, !dbg !131
}

; Function Attrs: argmemonly mustprogress nofree nosync nounwind willreturn
declare void @llvm.lifetime.start.p0i8(i64 immarg, i8* nocapture) #1

; Function Attrs: mustprogress nofree nosync nounwind readnone speculatable willreturn
declare i16 @llvm.bswap.i16(i16) #2

; Function Attrs: argmemonly mustprogress nofree nosync nounwind willreturn
declare void @llvm.lifetime.end.p0i8(i64 immarg, i8* nocapture) #1

; Function Attrs: nofree nosync nounwind readnone speculatable willreturn
declare void @llvm.dbg.value(metadata, metadata, metadata) #3

attributes #0 = { nounwind "frame-pointer"="all" "min-legal-vector-width"="0" "no-trapping-math"="true" "stack-protector-buffer-size"="8" }
attributes #1 = { argmemonly mustprogress nofree nosync nounwind willreturn }
attributes #2 = { mustprogress nofree nosync nounwind readnone speculatable willreturn }
attributes #3 = { nofree nosync nounwind readnone speculatable willreturn }
attributes #4 = { nounwind }

!llvm.dbg.cu = !{!2}
!llvm.module.flags = !{!60, !61, !62, !63}
!llvm.ident = !{!64}

!0 = !DIGlobalVariableExpression(var: !1, expr: !DIExpression())
!1 = distinct !DIGlobalVariable(name: "LICENSE", scope: !2, file: !3, line: 8, type: !56, isLocal: false, isDefinition: true)
!2 = distinct !DICompileUnit(language: DW_LANG_C99, file: !3, producer: "Debian clang version 14.0.6", isOptimized: true, runtimeVersion: 0, emissionKind: FullDebug, enums: !4, retainedTypes: !14, globals: !20, splitDebugInlining: false, nameTableKind: None)
!3 = !DIFile(filename: "guard_wrapping.c", directory: ".", checksumkind: CSK_MD5, checksum: "3e0f7a76c10516a5ec951c0062bbe808")
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
!20 = !{!0, !21, !40, !48}
!21 = !DIGlobalVariableExpression(var: !22, expr: !DIExpression())
!22 = distinct !DIGlobalVariable(name: "allowed", scope: !2, file: !3, line: 10, type: !23, isLocal: false, isDefinition: true)
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
!33 = !DICompositeType(tag: DW_TAG_array_type, baseType: !28, size: 512, elements: !34)
!34 = !{!35}
!35 = !DISubrange(count: 16)
!36 = !DIDerivedType(tag: DW_TAG_member, name: "key", scope: !23, file: !3, line: 10, baseType: !37, size: 64, offset: 128)
!37 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !38, size: 64)
!38 = !DIDerivedType(tag: DW_TAG_typedef, name: "__u32", file: !18, line: 27, baseType: !7)
!39 = !DIDerivedType(tag: DW_TAG_member, name: "value", scope: !23, file: !3, line: 10, baseType: !37, size: 64, offset: 192)
!40 = !DIGlobalVariableExpression(var: !41, expr: !DIExpression())
!41 = distinct !DIGlobalVariable(name: "actions", scope: !2, file: !3, line: 11, type: !42, isLocal: false, isDefinition: true)
!42 = distinct !DICompositeType(tag: DW_TAG_structure_type, file: !3, line: 11, size: 256, elements: !43)
!43 = !{!44, !45, !46, !47}
!44 = !DIDerivedType(tag: DW_TAG_member, name: "type", scope: !42, file: !3, line: 11, baseType: !26, size: 64)
!45 = !DIDerivedType(tag: DW_TAG_member, name: "max_entries", scope: !42, file: !3, line: 11, baseType: !32, size: 64, offset: 64)
!46 = !DIDerivedType(tag: DW_TAG_member, name: "key", scope: !42, file: !3, line: 11, baseType: !37, size: 64, offset: 128)
!47 = !DIDerivedType(tag: DW_TAG_member, name: "value", scope: !42, file: !3, line: 11, baseType: !37, size: 64, offset: 192)
!48 = !DIGlobalVariableExpression(var: !49, expr: !DIExpression())
!49 = distinct !DIGlobalVariable(name: "bpf_map_lookup_elem", scope: !2, file: !50, line: 56, type: !51, isLocal: true, isDefinition: true)
!50 = !DIFile(filename: "/usr/include/bpf/bpf_helper_defs.h", directory: "", checksumkind: CSK_MD5, checksum: "ba0039f6acc4710a5f4349e628ddfb60")
!51 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !52, size: 64)
!52 = !DISubroutineType(types: !53)
!53 = !{!15, !15, !54}
!54 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !55, size: 64)
!55 = !DIDerivedType(tag: DW_TAG_const_type, baseType: null)
!56 = !DICompositeType(tag: DW_TAG_array_type, baseType: !57, size: 32, elements: !58)
!57 = !DIBasicType(name: "char", size: 8, encoding: DW_ATE_signed_char)
!58 = !{!59}
!59 = !DISubrange(count: 4)
!60 = !{i32 7, !"Dwarf Version", i32 5}
!61 = !{i32 2, !"Debug Info Version", i32 3}
!62 = !{i32 1, !"wchar_size", i32 4}
!63 = !{i32 7, !"frame-pointer", i32 2}
!64 = !{!"Debian clang version 14.0.6"}
!65 = distinct !DISubprogram(name: "guard_wrapping", scope: !3, file: !3, line: 14, type: !66, scopeLine: 15, flags: DIFlagPrototyped | DIFlagAllCallsDescribed, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !2, retainedNodes: !77)
!66 = !DISubroutineType(types: !67)
!67 = !{!28, !68}
!68 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !69, size: 64)
!69 = distinct !DICompositeType(tag: DW_TAG_structure_type, name: "xdp_md", file: !6, line: 6100, size: 192, elements: !70)
!70 = !{!71, !72, !73, !74, !75, !76}
!71 = !DIDerivedType(tag: DW_TAG_member, name: "data", scope: !69, file: !6, line: 6101, baseType: !38, size: 32)
!72 = !DIDerivedType(tag: DW_TAG_member, name: "data_end", scope: !69, file: !6, line: 6102, baseType: !38, size: 32, offset: 32)
!73 = !DIDerivedType(tag: DW_TAG_member, name: "data_meta", scope: !69, file: !6, line: 6103, baseType: !38, size: 32, offset: 64)
!74 = !DIDerivedType(tag: DW_TAG_member, name: "ingress_ifindex", scope: !69, file: !6, line: 6105, baseType: !38, size: 32, offset: 96)
!75 = !DIDerivedType(tag: DW_TAG_member, name: "rx_queue_index", scope: !69, file: !6, line: 6106, baseType: !38, size: 32, offset: 128)
!76 = !DIDerivedType(tag: DW_TAG_member, name: "egress_ifindex", scope: !69, file: !6, line: 6108, baseType: !38, size: 32, offset: 160)
!77 = !{!78, !79, !80, !81, !95, !96, !97}
!78 = !DILocalVariable(name: "ctx", arg: 1, scope: !65, file: !3, line: 14, type: !68)
!79 = !DILocalVariable(name: "data", scope: !65, file: !3, line: 16, type: !15)
!80 = !DILocalVariable(name: "end", scope: !65, file: !3, line: 16, type: !15)
!81 = !DILocalVariable(name: "eth", scope: !65, file: !3, line: 17, type: !82)
!82 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !83, size: 64)
!83 = distinct !DICompositeType(tag: DW_TAG_structure_type, name: "ethhdr", file: !84, line: 173, size: 112, elements: !85)
!84 = !DIFile(filename: "/usr/include/linux/if_ether.h", directory: "", checksumkind: CSK_MD5, checksum: "163f54fb1af2e21fea410f14eb18fa76")
!85 = !{!86, !91, !92}
!86 = !DIDerivedType(tag: DW_TAG_member, name: "h_dest", scope: !83, file: !84, line: 174, baseType: !87, size: 48)
!87 = !DICompositeType(tag: DW_TAG_array_type, baseType: !88, size: 48, elements: !89)
!88 = !DIBasicType(name: "unsigned char", size: 8, encoding: DW_ATE_unsigned_char)
!89 = !{!90}
!90 = !DISubrange(count: 6)
!91 = !DIDerivedType(tag: DW_TAG_member, name: "h_source", scope: !83, file: !84, line: 175, baseType: !87, size: 48, offset: 48)
!92 = !DIDerivedType(tag: DW_TAG_member, name: "h_proto", scope: !83, file: !84, line: 176, baseType: !93, size: 16, offset: 96)
!93 = !DIDerivedType(tag: DW_TAG_typedef, name: "__be16", file: !94, line: 28, baseType: !17)
!94 = !DIFile(filename: "/usr/include/linux/types.h", directory: "", checksumkind: CSK_MD5, checksum: "a82ae197a4533c0fa7d08f3ccc99ef94")
!95 = !DILocalVariable(name: "key", scope: !65, file: !3, line: 20, type: !38)
!96 = !DILocalVariable(name: "ok", scope: !65, file: !3, line: 21, type: !37)
!97 = !DILocalVariable(name: "action", scope: !65, file: !3, line: 24, type: !37)
!98 = !DILocation(line: 0, scope: !65)
!99 = !DILocation(line: 16, column: 34, scope: !65)
!100 = !{!101, !102, i64 0}
!101 = !{!"xdp_md", !102, i64 0, !102, i64 4, !102, i64 8, !102, i64 12, !102, i64 16, !102, i64 20}
!102 = !{!"int", !103, i64 0}
!103 = !{!"omnipotent char", !104, i64 0}
!104 = !{!"Simple C/C++ TBAA"}
!105 = !DILocation(line: 16, column: 23, scope: !65)
!106 = !DILocation(line: 16, column: 66, scope: !65)
!107 = !{!101, !102, i64 4}
!108 = !DILocation(line: 16, column: 55, scope: !65)
!109 = !DILocation(line: 16, column: 47, scope: !65)
!110 = !DILocation(line: 17, column: 23, scope: !65)
!111 = !DILocation(line: 18, column: 6, scope: !112)
!112 = distinct !DILexicalBlock(scope: !65, file: !3, line: 18, column: 6)
!113 = !DILocation(line: 18, column: 24, scope: !112)
!114 = !DILocation(line: 18, column: 6, scope: !65)
!115 = !DILocation(line: 20, column: 2, scope: !65)
!116 = !DILocation(line: 20, column: 14, scope: !65)
!117 = !{!118, !119, i64 12}
!118 = !{!"ethhdr", !103, i64 0, !103, i64 6, !119, i64 12}
!119 = !{!"short", !103, i64 0}
!120 = !DILocation(line: 20, column: 8, scope: !65)
!121 = !{!102, !102, i64 0}
!122 = !DILocation(line: 21, column: 14, scope: !65)
!123 = !DILocation(line: 22, column: 7, scope: !124)
!124 = distinct !DILexicalBlock(scope: !65, file: !3, line: 22, column: 6)
!125 = !DILocation(line: 22, column: 10, scope: !124)
!126 = !DILocation(line: 22, column: 14, scope: !124)
!127 = !DILocation(line: 22, column: 6, scope: !65)
!128 = !DILocation(line: 24, column: 18, scope: !65)
!129 = !DILocation(line: 25, column: 9, scope: !65)
!130 = !DILocation(line: 25, column: 18, scope: !65)
!131 = !DILocation(line: 26, column: 1, scope: !65)
