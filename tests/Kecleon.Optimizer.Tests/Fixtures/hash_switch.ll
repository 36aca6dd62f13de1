; ModuleID = 'hash_switch.c'
source_filename = "hash_switch.c"
target datalayout = "e-m:e-p:64:64-i64:64-i128:128-n32:64-S128"
target triple = "bpf"

%struct.anon = type { [1 x i32]*, [64 x i32]*, i32*, i32* }
%struct.xdp_md = type { i32, i32, i32, i32, i32, i32 }
%struct.ethhdr = type { [6 x i8], [6 x i8], i16 }

@LICENSE = dso_local global [4 x i8] c"GPL\00", section "license", align 1, !dbg !0
@verdicts = dso_local global %struct.anon zeroinitializer, section ".maps", align 8, !dbg !21
@llvm.compiler.used = appending global [3 x i8*] [i8* getelementptr inbounds ([4 x i8], [4 x i8]* @LICENSE, i32 0, i32 0), i8* bitcast (i32 (%struct.xdp_md*)* @hash_switch to i8*), i8* bitcast (%struct.anon* @verdicts to i8*)], section "llvm.metadata"

; Function Attrs: nounwind
define dso_local i32 @hash_switch(%struct.xdp_md* nocapture noundef readonly %0) #0 section "xdp" !dbg !57 {
  %2 = alloca i32, align 4
  call void @llvm.dbg.value(metadata %struct.xdp_md* %0, metadata !70, metadata !DIExpression()), !dbg !89
  %3 = getelementptr inbounds %struct.xdp_md, %struct.xdp_md* %0, i64 0, i32 0, !dbg !90
  %4 = load i32, i32* %3, align 4, !dbg !90, !tbaa !91
  %5 = zext i32 %4 to i64, !dbg !96
  call void @llvm.dbg.value(metadata i64 %5, metadata !71, metadata !DIExpression()), !dbg !89
  %6 = getelementptr inbounds %struct.xdp_md, %struct.xdp_md* %0, i64 0, i32 1, !dbg !97
  %7 = load i32, i32* %6, align 4, !dbg !97, !tbaa !98
  %8 = zext i32 %7 to i64, !dbg !99
  %9 = inttoptr i64 %8 to i8*, !dbg !100
  call void @llvm.dbg.value(metadata i8* %9, metadata !72, metadata !DIExpression()), !dbg !89
  %10 = inttoptr i64 %5 to %struct.ethhdr*, !dbg !101
  call void @llvm.dbg.value(metadata %struct.ethhdr* %10, metadata !73, metadata !DIExpression()), !dbg !89
  %11 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %10, i64 1, i32 0, i64 0, !dbg !102
  %12 = icmp ugt i8* %11, %9, !dbg !104
  br i1 %12, label %26, label %13, !dbg !105

13:                                               ; preds = %1
  %14 = bitcast i32* %2 to i8*, !dbg !106
  call void @llvm.lifetime.start.p0i8(i64 4, i8* nonnull %14) #4, !dbg !106
  %15 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %10, i64 0, i32 2, !dbg !107
  %16 = load i16, i16* %15, align 1, !dbg !107, !tbaa !108
  %17 = tail call i16 @llvm.bswap.i16(i16 %16), !dbg !107
  %18 = zext i16 %17 to i32, !dbg !107
  call void @llvm.dbg.value(metadata i32 %18, metadata !87, metadata !DIExpression()), !dbg !89
  store i32 %18, i32* %2, align 4, !dbg !111, !tbaa !112
  call void @llvm.dbg.value(metadata i32* %2, metadata !87, metadata !DIExpression(DW_OP_deref)), !dbg !89
  %19 = call i8* inttoptr (i64 1 to i8* (i8*, i8*)*)(i8* noundef bitcast (%struct.anon* @verdicts to i8*), i8* noundef nonnull %14) #4, !dbg !113
  call void @llvm.dbg.value(metadata i8* %19, metadata !88, metadata !DIExpression()), !dbg !89
  %20 = icmp eq i8* %19, null, !dbg !114
  br i1 %20, label %24, label %21, !dbg !116

21:                                               ; preds = %13
  %22 = bitcast i8* %19 to i32*, !dbg !113
  call void @llvm.dbg.value(metadata i32* %22, metadata !88, metadata !DIExpression()), !dbg !89
  %23 = load i32, i32* %22, align 4, !dbg !117, !tbaa !112
  br label %24, !dbg !118

24:                                               ; preds = %13, %21
  %25 = phi i32 [ %23, %21 ], [ 2, %13 ], !dbg !89
  call void @llvm.lifetime.end.p0i8(i64 4, i8* nonnull %14) #4, !dbg !119
  br label %26

26:                                               ; preds = %1, %24
  %27 = phi i32 [ %25, %24 ], [ 1, %1 ], !dbg !89
  ret i32 %27, !dbg !119
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
!llvm.module.flags = !{!52, !53, !54, !55}
!llvm.ident = !{!56}

!0 = !DIGlobalVariableExpression(var: !1, expr: !DIExpression())
!1 = distinct !DIGlobalVariable(name: "LICENSE", scope: !2, file: !3, line: 7, type: !48, isLocal: false, isDefinition: true)
!2 = distinct !DICompileUnit(language: DW_LANG_C99, file: !3, producer: "Debian clang version 14.0.6", isOptimized: true, runtimeVersion: 0, emissionKind: FullDebug, enums: !4, retainedTypes: !14, globals: !20, splitDebugInlining: false, nameTableKind: None)
!3 = !DIFile(filename: "hash_switch.c", directory: ".", checksumkind: CSK_MD5, checksum: "17523c392cfbd15c9eb331ed1aa24eed")
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
!22 = distinct !DIGlobalVariable(name: "verdicts", scope: !2, file: !3, line: 9, type: !23, isLocal: false, isDefinition: true)
!23 = distinct !DICompositeType(tag: DW_TAG_structure_type, file: !3, line: 9, size: 256, elements: !24)
!24 = !{!25, !31, !36, !39}
!25 = !DIDerivedType(tag: DW_TAG_member, name: "type", scope: !23, file: !3, line: 9, baseType: !26, size: 64)
!26 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !27, size: 64)
!27 = !DICompositeType(tag: DW_TAG_array_type, baseType: !28, size: 32, elements: !29)
!28 = !DIBasicType(name: "int", size: 32, encoding: DW_ATE_signed)
!29 = !{!30}
!30 = !DISubrange(count: 1)
!31 = !DIDerivedType(tag: DW_TAG_member, name: "max_entries", scope: !23, file: !3, line: 9, baseType: !32, size: 64, offset: 64)
!32 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !33, size: 64)
!33 = !DICompositeType(tag: DW_TAG_array_type, baseType: !28, size: 2048, elements: !34)
!34 = !{!35}
!35 = !DISubrange(count: 64)
!36 = !DIDerivedType(tag: DW_TAG_member, name: "key", scope: !23, file: !3, line: 9, baseType: !37, size: 64, offset: 128)
!37 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !38, size: 64)
!38 = !DIDerivedType(tag: DW_TAG_typedef, name: "__u32", file: !18, line: 27, baseType: !7)
!39 = !DIDerivedType(tag: DW_TAG_member, name: "value", scope: !23, file: !3, line: 9, baseType: !37, size: 64, offset: 192)
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
!57 = distinct !DISubprogram(name: "hash_switch", scope: !3, file: !3, line: 12, type: !58, scopeLine: 13, flags: DIFlagPrototyped | DIFlagAllCallsDescribed, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !2, retainedNodes: !69)
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
!69 = !{!70, !71, !72, !73, !87, !88}
!70 = !DILocalVariable(name: "ctx", arg: 1, scope: !57, file: !3, line: 12, type: !60)
!71 = !DILocalVariable(name: "data", scope: !57, file: !3, line: 14, type: !15)
!72 = !DILocalVariable(name: "end", scope: !57, file: !3, line: 14, type: !15)
!73 = !DILocalVariable(name: "eth", scope: !57, file: !3, line: 15, type: !74)
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
!87 = !DILocalVariable(name: "key", scope: !57, file: !3, line: 18, type: !38)
!88 = !DILocalVariable(name: "verdict", scope: !57, file: !3, line: 19, type: !37)
!89 = !DILocation(line: 0, scope: !57)
!90 = !DILocation(line: 14, column: 34, scope: !57)
!91 = !{!92, !93, i64 0}
!92 = !{!"xdp_md", !93, i64 0, !93, i64 4, !93, i64 8, !93, i64 12, !93, i64 16, !93, i64 20}
!93 = !{!"int", !94, i64 0}
!94 = !{!"omnipotent char", !95, i64 0}
!95 = !{!"Simple C/C++ TBAA"}
!96 = !DILocation(line: 14, column: 23, scope: !57)
!97 = !DILocation(line: 14, column: 66, scope: !57)
!98 = !{!92, !93, i64 4}
!99 = !DILocation(line: 14, column: 55, scope: !57)
!100 = !DILocation(line: 14, column: 47, scope: !57)
!101 = !DILocation(line: 15, column: 23, scope: !57)
!102 = !DILocation(line: 16, column: 6, scope: !103)
!103 = distinct !DILexicalBlock(scope: !57, file: !3, line: 16, column: 6)
!104 = !DILocation(line: 16, column: 24, scope: !103)
!105 = !DILocation(line: 16, column: 6, scope: !57)
!106 = !DILocation(line: 18, column: 2, scope: !57)
!107 = !DILocation(line: 18, column: 14, scope: !57)
!108 = !{!109, !110, i64 12}
!109 = !{!"ethhdr", !94, i64 0, !94, i64 6, !110, i64 12}
!110 = !{!"short", !94, i64 0}
!111 = !DILocation(line: 18, column: 8, scope: !57)
!112 = !{!93, !93, i64 0}
!113 = !DILocation(line: 19, column: 19, scope: !57)
!114 = !DILocation(line: 20, column: 7, scope: !115)
!115 = distinct !DILexicalBlock(scope: !57, file: !3, line: 20, column: 6)
!116 = !DILocation(line: 20, column: 6, scope: !57)
!117 = !DILocation(line: 22, column: 9, scope: !57)
!118 = !DILocation(line: 22, column: 2, scope: !57)
!119 = !DILocation(line: 23, column: 1, scope: !57)
