target datalayout = "e-m:e-p:64:64-i64:64-i128:128-n32:64-S128"
target triple = "bpfel"

%struct.anon.1 = type { [1 x i32]*, [16 x i32]*, i32*, %struct.host* }
%struct.host = type { i32, i32, i64, i64 }
%struct.anon.2 = type { [11 x i32]*, [16 x i32]*, [1 x i32]*, %struct.lpm_key*, %struct.route* }
%struct.lpm_key = type { i32, i32 }
%struct.route = type { i64, i32, i32 }
%struct.anon.3 = type { [1 x i32]*, [16 x i32]*, i32*, i64* }
%struct.anon = type { [2 x i32]*, [1 x i32]*, i32*, %struct.kecleon_guard_versions* }
%struct.kecleon_guard_versions = type { [256 x i64] }
%struct.anon.0 = type { [3 x i32]*, [8 x i32]*, i32*, i32* }
%struct.xdp_md = type { i32, i32, i32, i32, i32, i32 }
%struct.ethhdr = type { [6 x i8], [6 x i8], i16 }

@LICENSE = dso_local global [4 x i8] c"GPL\00", section "license", align 1
@hosts = dso_local global %struct.anon.1 zeroinitializer, section ".maps", align 8
@routes = dso_local global %struct.anon.2 zeroinitializer, section ".maps", align 8
@neighbours = dso_local global %struct.anon.3 zeroinitializer, section ".maps", align 8
@kecleon_guards = dso_local global %struct.anon zeroinitializer, section ".maps", align 8
@kecleon_fallback = dso_local global %struct.anon.0 zeroinitializer, section ".maps", align 8
@llvm.compiler.used = appending global [7 x i8*] [i8* getelementptr inbounds ([4 x i8], [4 x i8]* @LICENSE, i32 0, i32 0), i8* bitcast (%struct.anon.1* @hosts to i8*), i8* bitcast (%struct.anon.3* @neighbours to i8*), i8* bitcast (i32 (%struct.xdp_md*)* @phi_field_merge to i8*), i8* bitcast (%struct.anon.2* @routes to i8*), i8* bitcast (%struct.anon.0* @kecleon_fallback to i8*), i8* bitcast (%struct.anon* @kecleon_guards to i8*)], section "llvm.metadata"

define dso_local i32 @phi_field_merge(%struct.xdp_md* nocapture noundef readonly %0) #0 section "xdp" {
kecleon.guard:
  %1 = alloca i32, align 4
  %2 = bitcast i32* %1 to i8*
  call void @llvm.lifetime.start.p0i8(i64 4, i8* nonnull %2) #3
  store i32 0, i32* %1, align 4, !tbaa
  %3 = call i8* inttoptr (i64 1 to i8* (i8*, i8*)*)(i8* noundef bitcast (%struct.anon* @kecleon_guards to i8*), i8* noundef nonnull %2) #3
  call void @llvm.lifetime.end.p0i8(i64 4, i8* nonnull %2) #3
  %.not = icmp eq i8* %3, null
  br i1 %.not, label %kecleon.fallback, label %kecleon.check

4:
  %5 = bitcast %struct.xdp_md* %0 to i32*
  %6 = load i32, i32* %5, align 4, !tbaa
  %7 = zext i32 %6 to i64
  %8 = getelementptr inbounds %struct.xdp_md, %struct.xdp_md* %0, i64 0, i32 1
  %9 = load i32, i32* %8, align 4, !tbaa
  %10 = zext i32 %9 to i64
  %11 = inttoptr i64 %10 to i8*
  %12 = inttoptr i64 %7 to %struct.ethhdr*
  %13 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %12, i64 1, i32 0, i64 20
  %14 = icmp ugt i8* %13, %11
  br i1 %14, label %common.ret, label %15

15:
  %16 = inttoptr i64 %7 to %struct.ethhdr*
  %17 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %16, i64 0, i32 2
  %18 = load i16, i16* %17, align 1, !tbaa
  %19 = icmp eq i16 %18, 8
  br i1 %19, label %20, label %common.ret

20:
  %21 = inttoptr i64 %7 to %struct.ethhdr*
  %22 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %21, i64 1, i32 0, i64 16
  %23 = bitcast i8* %22 to i32*
  %24 = load i32, i32* %23, align 4
  switch i32 %24, label %kecleon.inline.hosts.0.exit [
    i32 16777226, label %hit.i
    i32 33554442, label %hit1.i
  ]

hit.i:
  br label %kecleon.inline.hosts.0.exit

hit1.i:
  br label %kecleon.inline.hosts.0.exit

kecleon.inline.hosts.0.exit:
  %inlined26 = phi { i1, i64, i64, i64 } [ { i1 true, i64 72057636987600898, i64 186916976721922, i64 205608674394114 }, %hit.i ], [ { i1 true, i64 648518389291024387, i64 224300372066306, i64 242992069738498 }, %hit1.i ], [ zeroinitializer, %20 ]
  %found = extractvalue { i1, i64, i64, i64 } %inlined26, 0
  %word0 = extractvalue { i1, i64, i64, i64 } %inlined26, 1
  %25 = insertvalue { i1, i64 } undef, i1 %found, 0
  %word22 = extractvalue { i1, i64, i64, i64 } %inlined26, 3
  %26 = insertvalue { i1, i64 } %25, i64 %word22, 1
  %word14 = extractvalue { i1, i64, i64, i64 } %inlined26, 2
  %27 = lshr i64 %word0, 32
  %28 = trunc i64 %27 to i32
  %29 = icmp eq i32 %24, %28
  %or.cond = select i1 %found, i1 %29, i1 false
  br i1 %or.cond, label %38, label %range_search.i

range_search.i:
  %addr.i = call i32 @llvm.bswap.i32(i32 %24)
  %30 = icmp ult i32 %addr.i, 167772672
  br i1 %30, label %below.i, label %at_or_above.i

below.i:
  %31 = icmp ult i32 %addr.i, 167772416
  br i1 %31, label %kecleon.inline.routes.2.exit, label %hit.i39

at_or_above.i:
  %32 = and i32 %addr.i, -65536
  %33 = icmp eq i32 %32, 167903232
  br i1 %33, label %hit2.i, label %kecleon.inline.routes.2.exit

hit.i39:
  br label %kecleon.inline.routes.2.exit

hit2.i:
  br label %kecleon.inline.routes.2.exit

kecleon.inline.routes.2.exit:
  %inlined1540 = phi { i1, i64, i64 } [ { i1 true, i64 261683767410690, i64 360569488116023300 }, %hit.i39 ], [ { i1 true, i64 280375465082882, i64 5 }, %hit2.i ], [ zeroinitializer, %at_or_above.i ], [ zeroinitializer, %below.i ]
  %found16 = extractvalue { i1, i64, i64 } %inlined1540, 0
  %word118 = extractvalue { i1, i64, i64 } %inlined1540, 2
  %34 = lshr i64 %word118, 32
  %35 = trunc i64 %34 to i32
  %word020 = extractvalue { i1, i64, i64 } %inlined1540, 1
  br i1 %found16, label %36, label %common.ret

36:
  switch i32 %24, label %kecleon.inline.neighbours.1.exit [
    i32 83951626, label %hit.i29
    i32 50332170, label %hit1.i30
  ]

hit.i29:
  br label %kecleon.inline.neighbours.1.exit

hit1.i30:
  br label %kecleon.inline.neighbours.1.exit

kecleon.inline.neighbours.1.exit:
  %inlined1031 = phi { i1, i64 } [ { i1 true, i64 18691697672194 }, %hit.i29 ], [ { i1 true, i64 37383395344386 }, %hit1.i30 ], [ zeroinitializer, %36 ]
  %found11 = extractvalue { i1, i64 } %inlined1031, 0
  br i1 %found11, label %38, label %37

37:
  switch i32 %35, label %kecleon.inline.neighbours.1.exit36 [
    i32 0, label %common.ret
    i32 83951626, label %hit.i34
    i32 50332170, label %hit1.i35
  ]

hit.i34:
  br label %kecleon.inline.neighbours.1.exit36

hit1.i35:
  br label %kecleon.inline.neighbours.1.exit36

kecleon.inline.neighbours.1.exit36:
  %inlined537 = phi { i1, i64 } [ { i1 true, i64 18691697672194 }, %hit.i34 ], [ { i1 true, i64 37383395344386 }, %hit1.i35 ], [ zeroinitializer, %37 ]
  %found6 = extractvalue { i1, i64 } %inlined537, 0
  br i1 %found6, label %38, label %common.ret

38:
  %word14.pn = phi i64 [ %word020, %kecleon.inline.neighbours.1.exit36 ], [ %word14, %kecleon.inline.hosts.0.exit ], [ %word020, %kecleon.inline.neighbours.1.exit ]
  %inlined.merged = phi { i1, i64 } [ %inlined537, %kecleon.inline.neighbours.1.exit36 ], [ %26, %kecleon.inline.hosts.0.exit ], [ %inlined1031, %kecleon.inline.neighbours.1.exit ]
  %.in = phi i64 [ %word118, %kecleon.inline.neighbours.1.exit36 ], [ %word0, %kecleon.inline.hosts.0.exit ], [ %word118, %kecleon.inline.neighbours.1.exit ]
  %39 = trunc i64 %.in to i32
  %40 = lshr i64 %word14.pn, 32
  %41 = trunc i64 %40 to i16
  %42 = lshr i64 %word14.pn, 16
  %43 = trunc i64 %42 to i16
  %44 = trunc i64 %word14.pn to i16
  %word023 = extractvalue { i1, i64 } %inlined.merged, 1
  %45 = lshr i64 %word023, 32
  %46 = trunc i64 %45 to i16
  %47 = lshr i64 %word023, 16
  %48 = trunc i64 %47 to i16
  %49 = trunc i64 %word023 to i16
  %50 = inttoptr i64 %7 to i16*
  store i16 %49, i16* %50, align 2, !tbaa
  %51 = getelementptr inbounds i16, i16* %50, i64 1
  store i16 %48, i16* %51, align 2, !tbaa
  %52 = getelementptr inbounds i16, i16* %50, i64 2
  store i16 %46, i16* %52, align 2, !tbaa
  %53 = getelementptr inbounds i16, i16* %50, i64 3
  store i16 %44, i16* %53, align 2, !tbaa
  %54 = getelementptr inbounds i16, i16* %50, i64 4
  store i16 %43, i16* %54, align 2, !tbaa
  %55 = getelementptr inbounds i16, i16* %50, i64 5
  store i16 %41, i16* %55, align 2, !tbaa
  %56 = call i64 inttoptr (i64 23 to i64 (i32, i64)*)(i32 noundef %39, i64 noundef 0) #3
  %57 = trunc i64 %56 to i32
  br label %common.ret

common.ret:
  %common.ret.op = phi i32 [ 0, %kecleon.fallback ], [ 2, %15 ], [ 2, %4 ], [ %57, %38 ], [ 0, %kecleon.inline.neighbours.1.exit36 ], [ 2, %37 ], [ 1, %kecleon.inline.routes.2.exit ]
  ret i32 %common.ret.op

kecleon.fallback:
  %58 = bitcast %struct.xdp_md* %0 to i8*
  %59 = call i64 inttoptr (i64 12 to i64 (i8*, i8*, i32)*)(i8* noundef %58, i8* noundef bitcast (%struct.anon.0* @kecleon_fallback to i8*), i32 noundef 0) #3
  br label %common.ret

kecleon.check:
  %60 = getelementptr inbounds i8, i8* %3, i64 8
  %61 = bitcast i8* %60 to i64*
  %62 = load i64, i64* %61, align 8, !tbaa
  %63 = icmp eq i64 %62, 1
  %64 = getelementptr inbounds i8, i8* %3, i64 24
  %65 = bitcast i8* %64 to i64*
  %66 = load i64, i64* %65, align 8, !tbaa
  %67 = icmp eq i64 %66, 1
  %68 = and i1 %63, %67
  %69 = getelementptr inbounds i8, i8* %3, i64 16
  %70 = bitcast i8* %69 to i64*
  %71 = load i64, i64* %70, align 8, !tbaa
  %72 = icmp eq i64 %71, 1
  %73 = and i1 %68, %72
  br i1 %73, label %4, label %kecleon.fallback
}

declare void @llvm.lifetime.start.p0i8(i64 immarg, i8* nocapture) #1

declare void @llvm.lifetime.end.p0i8(i64 immarg, i8* nocapture) #1

declare i32 @llvm.bswap.i32(i32) #2

attributes #0 = { nounwind "frame-pointer"="all" "no-trapping-math"="true" "stack-protector-buffer-size"="8" }
attributes #1 = { argmemonly nofree nosync nounwind willreturn }
attributes #2 = { nofree nosync nounwind readnone speculatable willreturn }
attributes #3 = { nounwind }
