target datalayout = "e-m:e-p:64:64-i64:64-i128:128-n32:64-S128"
target triple = "bpfel"

%struct.anon.1 = type { [1 x i32]*, [64 x i32]*, i32*, i32* }
%struct.anon.2 = type { [11 x i32]*, [64 x i32]*, [1 x i32]*, %struct.lpm_key*, i32* }
%struct.lpm_key = type { i32, i32 }
%struct.anon.3 = type { [2 x i32]*, [1 x i32]*, i32*, i32* }
%struct.anon.4 = type { [1 x i32]*, [16 x i32]*, i32*, %struct.neighbour* }
%struct.neighbour = type { [6 x i8], i16, i32 }
%struct.anon.5 = type { [14 x i32]*, [8 x i32]*, i32*, i32* }
%struct.anon = type { [2 x i32]*, [1 x i32]*, i32*, %struct.kecleon_guard_versions* }
%struct.kecleon_guard_versions = type { [256 x i64] }
%struct.anon.0 = type { [3 x i32]*, [8 x i32]*, i32*, i32* }
%struct.xdp_md = type { i32, i32, i32, i32, i32, i32 }
%struct.ethhdr = type { [6 x i8], [6 x i8], i16 }

@LICENSE = dso_local global [4 x i8] c"GPL\00", section "license", align 1
@hosts = dso_local global %struct.anon.1 zeroinitializer, section ".maps", align 8
@prefixes = dso_local global %struct.anon.2 zeroinitializer, section ".maps", align 8
@fallback_hop = dso_local global %struct.anon.3 zeroinitializer, section ".maps", align 8
@neighbours = dso_local global %struct.anon.4 zeroinitializer, section ".maps", align 8
@ports = dso_local global %struct.anon.5 zeroinitializer, section ".maps", align 8
@kecleon_guards = dso_local global %struct.anon zeroinitializer, section ".maps", align 8
@kecleon_fallback = dso_local global %struct.anon.0 zeroinitializer, section ".maps", align 8
@llvm.compiler.used = appending global [9 x i8*] [i8* getelementptr inbounds ([4 x i8], [4 x i8]* @LICENSE, i32 0, i32 0), i8* bitcast (%struct.anon.3* @fallback_hop to i8*), i8* bitcast (%struct.anon.1* @hosts to i8*), i8* bitcast (%struct.anon.4* @neighbours to i8*), i8* bitcast (i32 (%struct.xdp_md*)* @phi_merge to i8*), i8* bitcast (%struct.anon.5* @ports to i8*), i8* bitcast (%struct.anon.2* @prefixes to i8*), i8* bitcast (%struct.anon.0* @kecleon_fallback to i8*), i8* bitcast (%struct.anon* @kecleon_guards to i8*)], section "llvm.metadata"

define dso_local i32 @phi_merge(%struct.xdp_md* nocapture noundef readonly %0) #0 section "xdp" {
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
  %inlined16 = phi { i1, i64 } [ { i1 true, i64 1 }, %hit.i ], [ { i1 true, i64 2 }, %hit1.i ], [ zeroinitializer, %20 ]
  %found = extractvalue { i1, i64 } %inlined16, 0
  br i1 %found, label %31, label %range_search.i

range_search.i:
  %addr.i = call i32 @llvm.bswap.i32(i32 %24)
  %25 = icmp ult i32 %addr.i, 167837696
  br i1 %25, label %below.i, label %at_or_above.i

below.i:
  %26 = and i32 %addr.i, -256
  %27 = icmp eq i32 %26, 167772416
  br i1 %27, label %hit.i18, label %kecleon.inline.prefixes.1.exit

at_or_above.i:
  %28 = icmp ult i32 %addr.i, -1073741824
  br i1 %28, label %below2.i, label %at_or_above3.i

hit.i18:
  br label %kecleon.inline.prefixes.1.exit

below2.i:
  %29 = icmp ult i32 %addr.i, 167903232
  br i1 %29, label %hit4.i, label %kecleon.inline.prefixes.1.exit

at_or_above3.i:
  %30 = icmp ult i32 %addr.i, -1056964608
  br i1 %30, label %hit.i18, label %kecleon.inline.prefixes.1.exit

hit4.i:
  br label %kecleon.inline.prefixes.1.exit

kecleon.inline.prefixes.1.exit:
  %inlined119 = phi { i1, i64 } [ { i1 true, i64 1 }, %hit.i18 ], [ { i1 true, i64 2 }, %hit4.i ], [ zeroinitializer, %at_or_above3.i ], [ zeroinitializer, %below2.i ], [ zeroinitializer, %below.i ]
  %found2 = extractvalue { i1, i64 } %inlined119, 0
  %inlined.merged7 = select i1 %found2, { i1, i64 } %inlined119, { i1, i64 } { i1 true, i64 3 }
  br label %31

31:
  %inlined.merged = phi { i1, i64 } [ %inlined16, %kecleon.inline.hosts.0.exit ], [ %inlined.merged7, %kecleon.inline.prefixes.1.exit ]
  %word09 = extractvalue { i1, i64 } %inlined.merged, 1
  %32 = trunc i64 %word09 to i32
  switch i32 %32, label %kecleon.inline.neighbours.3.exit [
    i32 1, label %hit.i26
    i32 2, label %hit1.i27
    i32 3, label %hit2.i
  ]

hit.i26:
  br label %kecleon.inline.neighbours.3.exit

hit1.i27:
  br label %kecleon.inline.neighbours.3.exit

hit2.i:
  br label %kecleon.inline.neighbours.3.exit

kecleon.inline.neighbours.3.exit:
  %inlined1228 = phi { i1, i64, i64 } [ { i1 true, i64 1099511627778, i64 1 }, %hit.i26 ], [ { i1 true, i64 2199023255554, i64 2 }, %hit1.i27 ], [ { i1 true, i64 3298534883330, i64 3 }, %hit2.i ], [ zeroinitializer, %31 ]
  %found13 = extractvalue { i1, i64, i64 } %inlined1228, 0
  br i1 %found13, label %33, label %common.ret

33:
  %word1 = extractvalue { i1, i64, i64 } %inlined1228, 2
  %word014 = extractvalue { i1, i64, i64 } %inlined1228, 1
  %.sroa.034.0..sroa_cast = inttoptr i64 %7 to i48*
  %.sroa.034.0.extract.trunc = trunc i64 %word014 to i48
  store i48 %.sroa.034.0.extract.trunc, i48* %.sroa.034.0..sroa_cast, align 1
  %34 = and i64 %word1, 4294967295
  %35 = call i64 inttoptr (i64 51 to i64 (i8*, i64, i64)*)(i8* noundef bitcast (%struct.anon.5* @ports to i8*), i64 noundef %34, i64 noundef 0) #3
  %36 = trunc i64 %35 to i32
  br label %common.ret

common.ret:
  %common.ret.op = phi i32 [ 0, %kecleon.fallback ], [ 2, %15 ], [ 2, %4 ], [ %36, %33 ], [ 1, %kecleon.inline.neighbours.3.exit ]
  ret i32 %common.ret.op

kecleon.fallback:
  %37 = bitcast %struct.xdp_md* %0 to i8*
  %38 = call i64 inttoptr (i64 12 to i64 (i8*, i8*, i32)*)(i8* noundef %37, i8* noundef bitcast (%struct.anon.0* @kecleon_fallback to i8*), i32 noundef 0) #3
  br label %common.ret

kecleon.check:
  %39 = getelementptr inbounds i8, i8* %3, i64 32
  %40 = bitcast i8* %39 to i64*
  %41 = load i64, i64* %40, align 8, !tbaa
  %42 = icmp eq i64 %41, 1
  %43 = getelementptr inbounds i8, i8* %3, i64 16
  %44 = bitcast i8* %43 to i64*
  %45 = load i64, i64* %44, align 8, !tbaa
  %46 = icmp eq i64 %45, 1
  %47 = and i1 %42, %46
  %48 = getelementptr inbounds i8, i8* %3, i64 40
  %49 = bitcast i8* %48 to i64*
  %50 = load i64, i64* %49, align 8, !tbaa
  %51 = icmp eq i64 %50, 2
  %52 = and i1 %47, %51
  %53 = getelementptr inbounds i8, i8* %3, i64 24
  %54 = bitcast i8* %53 to i64*
  %55 = load i64, i64* %54, align 8, !tbaa
  %56 = icmp eq i64 %55, 4
  %57 = and i1 %52, %56
  br i1 %57, label %4, label %kecleon.fallback
}

declare void @llvm.lifetime.start.p0i8(i64 immarg, i8* nocapture) #1

declare void @llvm.lifetime.end.p0i8(i64 immarg, i8* nocapture) #1

declare i32 @llvm.bswap.i32(i32) #2

attributes #0 = { nounwind "frame-pointer"="all" "no-trapping-math"="true" "stack-protector-buffer-size"="8" }
attributes #1 = { argmemonly nofree nosync nounwind willreturn }
attributes #2 = { nofree nosync nounwind readnone speculatable willreturn }
attributes #3 = { nounwind }
